package org.aivillage.betanet.mixnode.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.aivillage.betanet.crypto.KeyPair;

/**
 * A node's SQLite database (WAL, synchronous=NORMAL: a committed transaction is in the WAL before
 * commit returns, so it survives kill -9): its Sphinx epoch keys and its replay tags per key epoch.
 * Schema migrations run in code on open. All methods are serialised on the one connection.
 */
public final class NodeStore implements AutoCloseable {
    private static final int SCHEMA_VERSION = 2;
    private static final int ROWS_PER_INSERT = 128;
    private final Connection db;
    private PreparedStatement insertMany;
    private PreparedStatement insertOne;

    public NodeStore(Path file) throws IOException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=5000");
            }
            migrate();
        } catch (SQLException e) {
            throw new IOException("cannot open node database " + file + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int v = 0;
            try (ResultSet r = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (r.next()) {
                    v = r.getInt(1);
                }
            }
            if (v < 1) {
                db.setAutoCommit(false);
                s.execute("CREATE TABLE sphinx_keys (epoch INTEGER PRIMARY KEY, private_key BLOB NOT NULL,"
                        + " public_key BLOB NOT NULL)");
                createTagTable(s, "replay_tags");
                s.execute("INSERT INTO schema_version VALUES (" + SCHEMA_VERSION + ")");
                db.commit();
                db.setAutoCommit(true);
            } else if (v < 2) {
                // v1 kept tags in a (epoch, tag) primary-key B-tree: every insert of a random tag
                // dirtied a random page, so each group commit wrote about one WAL page per tag.
                // v2 appends in arrival order; uniqueness is the in-memory table's job.
                db.setAutoCommit(false);
                createTagTable(s, "replay_tags_v2");
                s.execute("INSERT INTO replay_tags_v2 (epoch, tag) SELECT epoch, tag FROM replay_tags");
                s.execute("DROP TABLE replay_tags");
                s.execute("ALTER TABLE replay_tags_v2 RENAME TO replay_tags");
                s.execute("INSERT INTO schema_version VALUES (" + SCHEMA_VERSION + ")");
                db.commit();
                db.setAutoCommit(true);
            }
        }
    }

    /**
     * Replay tags in arrival order (rowid table: inserts append to the last pages, so a group
     * commit writes little more than the tags themselves). No index: uniqueness is checked in
     * memory before a tag is queued for writing (ReplayGuard), loading reads every live row
     * anyway, and retiring an epoch (a scan) happens once per key epoch.
     */
    private static void createTagTable(Statement s, String name) throws SQLException {
        s.execute("CREATE TABLE " + name + " (epoch INTEGER NOT NULL, tag BLOB NOT NULL)");
    }

    public synchronized void putKey(long epoch, KeyPair kp) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO sphinx_keys VALUES (?, ?, ?)")) {
            p.setLong(1, epoch);
            byte[] priv = kp.privateKey();
            p.setBytes(2, priv);
            p.setBytes(3, kp.publicKey());
            p.executeUpdate();
            java.util.Arrays.fill(priv, (byte) 0);
        }
    }

    public synchronized void loadKeys(BiConsumer<Long, KeyPair> sink) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT epoch, private_key, public_key FROM sphinx_keys")) {
            while (r.next()) {
                byte[] priv = r.getBytes(2);
                sink.accept(r.getLong(1), new KeyPair(priv, r.getBytes(3)));
                java.util.Arrays.fill(priv, (byte) 0);
            }
        }
    }

    /** Deletes keys and replay tags of epochs before {@code epoch} (forward secrecy for retired keys). */
    public synchronized void retireBefore(long epoch) throws SQLException {
        try (PreparedStatement k = db.prepareStatement("DELETE FROM sphinx_keys WHERE epoch < ?");
             PreparedStatement t = db.prepareStatement("DELETE FROM replay_tags WHERE epoch < ?")) {
            k.setLong(1, epoch);
            k.executeUpdate();
            t.setLong(1, epoch);
            t.executeUpdate();
        }
    }

    /** Inserts a batch of (epoch, tag) in one transaction; returns after commit. */
    public synchronized void addTags(List<long[]> epochAndTag) throws SQLException {
        db.setAutoCommit(false);
        try {
            int i = 0;
            // Many rows per statement: one SQLite step per chunk instead of one per row.
            if (epochAndTag.size() >= ROWS_PER_INSERT) {
                if (insertMany == null) {
                    StringBuilder sql = new StringBuilder("INSERT INTO replay_tags (epoch, tag) VALUES (?, ?)");
                    sql.append(", (?, ?)".repeat(ROWS_PER_INSERT - 1));
                    insertMany = db.prepareStatement(sql.toString());
                }
                for (; i + ROWS_PER_INSERT <= epochAndTag.size(); i += ROWS_PER_INSERT) {
                    for (int r = 0; r < ROWS_PER_INSERT; r++) {
                        bindTag(insertMany, 2 * r + 1, epochAndTag.get(i + r));
                    }
                    insertMany.executeUpdate();
                }
            }
            if (i < epochAndTag.size()) {
                if (insertOne == null) {
                    insertOne = db.prepareStatement("INSERT INTO replay_tags (epoch, tag) VALUES (?, ?)");
                }
                for (; i < epochAndTag.size(); i++) {
                    bindTag(insertOne, 1, epochAndTag.get(i));
                    insertOne.addBatch();
                }
                insertOne.executeBatch();
            }
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    private static void bindTag(PreparedStatement p, int index, long[] e) throws SQLException {
        p.setLong(index, e[0]);
        byte[] tag = new byte[16];
        writeLong(tag, 0, e[1]);
        writeLong(tag, 8, e[2]);
        p.setBytes(index + 1, tag);
    }

    /** Every stored tag of epochs >= {@code fromEpoch}, as (epoch, hi, lo). */
    public synchronized List<long[]> loadTags(long fromEpoch) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT epoch, tag FROM replay_tags WHERE epoch >= ?")) {
            p.setLong(1, fromEpoch);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    byte[] t = r.getBytes(2);
                    if (t != null && t.length == 16) {
                        out.add(new long[] {r.getLong(1), readLong(t, 0), readLong(t, 8)});
                    }
                }
            }
        }
        return out;
    }

    static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (insertMany != null) {
                insertMany.close();
            }
            if (insertOne != null) {
                insertOne.close();
            }
            db.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
