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
    private static final int SCHEMA_VERSION = 3;
    /** Tags per stored row at most (16 bytes each): 64 KiB rows, within SQLite's comfortable blob sizes. */
    static final int TAGS_PER_ROW = 4096;
    private final Connection db;
    private PreparedStatement insertBatch;

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
                // Only the node opens its database: holding the lock for the connection's life saves
                // the file-lock system calls of every group commit (and keeps the WAL index in memory),
                // and a second node started on the same data directory fails instead of sharing it.
                s.execute("PRAGMA locking_mode=EXCLUSIVE");
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
            if (v >= SCHEMA_VERSION) {
                return;
            }
            db.setAutoCommit(false);
            try {
                if (v < 1) {
                    s.execute("CREATE TABLE sphinx_keys (epoch INTEGER PRIMARY KEY, private_key BLOB NOT NULL,"
                            + " public_key BLOB NOT NULL)");
                    createTagTable(s);
                } else {
                    // v1 kept one tag per row in an (epoch, tag) primary-key B-tree, v2 one tag per row in
                    // arrival order; both become v3 rows of many tags each. Uniqueness was and stays the
                    // in-memory table's job.
                    List<long[]> old = new ArrayList<>();
                    try (ResultSet r = s.executeQuery("SELECT epoch, tag FROM replay_tags")) {
                        while (r.next()) {
                            byte[] t = r.getBytes(2);
                            if (t != null && t.length == 16) {
                                old.add(new long[] {r.getLong(1), readLong(t, 0), readLong(t, 8)});
                            }
                        }
                    }
                    s.execute("DROP TABLE replay_tags");
                    createTagTable(s);
                    insertRows(old);
                }
                s.execute("INSERT INTO schema_version VALUES (" + SCHEMA_VERSION + ")");
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        }
    }

    /**
     * Replay tags, many per row: each group commit appends one row per key epoch holding the
     * concatenated 16-byte tags of that commit (rowid table, so a commit writes little more than the
     * tags themselves, and its cost hardly depends on how many tags it carries: one row insert
     * instead of one per tag). No index: uniqueness is checked in memory before a tag is queued for
     * writing (ReplayGuard), loading reads every live row anyway, and retiring an epoch (a scan)
     * happens once per key epoch.
     */
    private static void createTagTable(Statement s) throws SQLException {
        s.execute("CREATE TABLE replay_tags (epoch INTEGER NOT NULL, tags BLOB NOT NULL)");
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
    /** Stores tags ({epoch, hi, lo} each) in one transaction: one row per epoch (per 4,096 tags). */
    public synchronized void addTags(List<long[]> epochAndTag) throws SQLException {
        if (epochAndTag.isEmpty()) {
            return;
        }
        db.setAutoCommit(false);
        try {
            insertRows(epochAndTag);
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** Inserts the rows for {@code epochAndTag} in the current transaction. */
    private void insertRows(List<long[]> epochAndTag) throws SQLException {
        if (insertBatch == null) {
            insertBatch = db.prepareStatement("INSERT INTO replay_tags (epoch, tags) VALUES (?, ?)");
        }
        // Nearly always one epoch; during a key overlap two, interleaved: one pass per distinct epoch.
        int n = epochAndTag.size();
        boolean[] done = new boolean[n];
        for (int first = 0; first < n; first++) {
            if (done[first]) {
                continue;
            }
            long epoch = epochAndTag.get(first)[0];
            int count = 0;
            for (int i = first; i < n; i++) {
                if (!done[i] && epochAndTag.get(i)[0] == epoch) {
                    count++;
                }
            }
            byte[] blob = new byte[16 * Math.min(count, TAGS_PER_ROW)];
            int at = 0;
            for (int i = first; i < n; i++) {
                long[] e = epochAndTag.get(i);
                if (done[i] || e[0] != epoch) {
                    continue;
                }
                done[i] = true;
                writeLong(blob, at, e[1]);
                writeLong(blob, at + 8, e[2]);
                at += 16;
                count--;
                if (at == blob.length) {
                    insertBatch.setLong(1, epoch);
                    insertBatch.setBytes(2, blob);
                    insertBatch.executeUpdate();
                    blob = new byte[16 * Math.min(count, TAGS_PER_ROW)];
                    at = 0;
                }
            }
        }
    }

    public synchronized List<long[]> loadTags(long fromEpoch) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT epoch, tags FROM replay_tags WHERE epoch >= ?")) {
            p.setLong(1, fromEpoch);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long epoch = r.getLong(1);
                    byte[] t = r.getBytes(2);
                    if (t == null) {
                        continue;
                    }
                    // A row is a whole number of 16-byte tags (written in one statement); anything else is ignored.
                    for (int at = 0; at + 16 <= t.length; at += 16) {
                        out.add(new long[] {epoch, readLong(t, at), readLong(t, at + 8)});
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
            if (insertBatch != null) {
                insertBatch.close();
            }
            db.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
