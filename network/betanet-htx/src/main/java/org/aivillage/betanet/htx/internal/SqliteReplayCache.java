package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ReplayCache} in an SQLite database (WAL, {@code synchronous=NORMAL}): a pair is committed
 * before {@link #firstUse} accepts it, so it is refused again after a restart or a {@code kill -9}
 * for as long as its hour can be presented. The database is the authority: one upsert per accepted
 * ticket that changes nothing when a live row for the pair exists, so server processes sharing the
 * file (one host, one ticket key) refuse each other's spent tickets too.
 *
 * <p>Expired rows are deleted once a minute, and at most once a second while the bound is reached. The bound counts the
 * live rows seen at the last sweep plus this process's inserts since, so with several processes on
 * one file the table may exceed it by what the others inserted within a minute. A database error
 * refuses the ticket ({@link Result#STORE_ERROR}, fail closed) and is logged at most once a minute.
 */
final class SqliteReplayCache implements ReplayCache {
    private static final Logger log = LoggerFactory.getLogger(SqliteReplayCache.class);
    static final int SCHEMA_VERSION = 1;
    private static final long SWEEP_EVERY_MS = 60_000;

    private final Path file;
    private final Clock clock;
    private final int capacity;
    private final Connection db;
    private final PreparedStatement upsert;
    private final PreparedStatement find;
    private final PreparedStatement deleteExpired;
    private final PreparedStatement countLive;
    private long nextSweep;
    private long lastSweep;
    private long nextErrorLog;
    private int live;
    private boolean closed;

    private SqliteReplayCache(Path file, Clock clock, int capacity, Connection db) throws SQLException {
        this.file = file;
        this.clock = clock;
        this.capacity = capacity;
        this.db = db;
        this.upsert = db.prepareStatement("INSERT INTO ticket_use (client_public, hour, expires_ms) VALUES (?, ?, ?)"
                + " ON CONFLICT (client_public, hour) DO UPDATE SET expires_ms = excluded.expires_ms"
                + " WHERE ticket_use.expires_ms <= ?");
        this.find = db.prepareStatement("SELECT 1 FROM ticket_use WHERE client_public = ? AND hour = ? AND expires_ms > ?");
        this.deleteExpired = db.prepareStatement("DELETE FROM ticket_use WHERE expires_ms <= ?");
        this.countLive = db.prepareStatement("SELECT count(*) FROM ticket_use WHERE expires_ms > ?");
        sweep(clock.millis());
    }

    static SqliteReplayCache open(Path file, Clock clock, int capacity) throws IOException {
        Path abs = file.toAbsolutePath();
        Connection db = null;
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            if (!Files.exists(abs)) {
                try {
                    Files.createFile(abs);
                    Files.setPosixFilePermissions(abs, PosixFilePermissions.fromString("rw-------"));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another server process sharing the file created it first
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + abs);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                migrate(s, abs);
            }
            return new SqliteReplayCache(abs, clock, capacity, db);
        } catch (SQLException e) {
            closeQuietly(db);
            throw new IOException("cannot open the ticket replay database " + abs + ": " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(db);
            throw e;
        }
    }

    private static void migrate(Statement s, Path file) throws SQLException, IOException {
        int version;
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new IOException("the ticket replay database " + file + " has schema version " + version
                    + ", newer than this program's " + SCHEMA_VERSION + "; it was left untouched");
        }
        if (version == 0) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                if (rs.next() && rs.getInt(1) > 0) {
                    throw new IOException(file + " is an SQLite database but not a ticket replay database"
                            + " (it has tables and no schema version); it was left untouched");
                }
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute("CREATE TABLE IF NOT EXISTS ticket_use (client_public BLOB NOT NULL, hour INTEGER NOT NULL,"
                        + " expires_ms INTEGER NOT NULL, PRIMARY KEY (client_public, hour)) WITHOUT ROWID");
                s.execute("CREATE INDEX IF NOT EXISTS ticket_use_expiry ON ticket_use (expires_ms)");
                s.execute("PRAGMA user_version=" + SCHEMA_VERSION);
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    @Override
    public synchronized Result firstUse(byte[] clientPublic, long hour) {
        if (closed) {
            return Result.STORE_ERROR;
        }
        long now = clock.millis();
        try {
            // When full, look for expired rows at most once a second (a sweep counts the whole table).
            if (now >= nextSweep || (live >= capacity && now >= lastSweep + 1_000)) {
                sweep(now);
            }
            if (live >= capacity) {
                find.setBytes(1, clientPublic);
                find.setLong(2, hour);
                find.setLong(3, now);
                try (ResultSet rs = find.executeQuery()) {
                    return rs.next() ? Result.REPLAY : Result.FULL;
                }
            }
            upsert.setBytes(1, clientPublic);
            upsert.setLong(2, hour);
            upsert.setLong(3, ReplayCache.expiry(now, hour));
            upsert.setLong(4, now);
            if (upsert.executeUpdate() == 0) {
                return Result.REPLAY;
            }
            live++;
            return Result.FIRST_USE;
        } catch (SQLException e) {
            if (now >= nextErrorLog) {
                nextErrorLog = now + 60_000;
                log.warn("ticket replay database {}: {}; refusing tickets until it works again", file, e.getMessage());
            }
            return Result.STORE_ERROR;
        }
    }

    private void sweep(long now) throws SQLException {
        deleteExpired.setLong(1, now);
        deleteExpired.executeUpdate();
        countLive.setLong(1, now);
        try (ResultSet rs = countLive.executeQuery()) {
            live = rs.next() ? rs.getInt(1) : 0;
        }
        lastSweep = now;
        nextSweep = now + SWEEP_EVERY_MS;
    }

    @Override
    public synchronized int size() {
        return live;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(db);
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                log.debug("closing ticket replay database: {}", e.toString());
            }
        }
    }
}
