package org.aivillage.vault.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The vault's SQLite database: one writer connection (callers serialise writes) and a bounded pool
 * of reader connections, WAL journal, {@code synchronous=NORMAL} (a committed transaction is in
 * the WAL before commit returns, so it survives the process being killed), {@code secure_delete}
 * (freed pages are zeroed: erased data keys do not linger in free pages), schema migrations in code.
 */
public final class Db implements AutoCloseable {
    /**
     * 2: device list with Noise static keys and card signatures, passphrase KDF in meta. Schema 1
     * (a pre-release format: self-made sync handshake, passphrase as a key file) is not migrated.
     * 3: no index on {@code twins(owner)} (a write dirties one page fewer; listing a user's twins
     * scans the twins table); schema 2 is migrated by dropping the index.
     */
    public static final int SCHEMA_VERSION = 3;
    public static final int READERS = 4;

    /**
     * The background checkpointer copies the WAL into the database after this many write
     * transactions (a vault write commits about 5 pages, so about every 700 WAL frames).
     */
    public static final int CHECKPOINT_EVERY_COMMITS = 128;
    /**
     * The writer checkpoints by itself only when the WAL reaches this many pages (about 64 MiB),
     * which happens only if the background checkpointer cannot keep up: it bounds the WAL.
     */
    public static final int WRITER_AUTOCHECKPOINT_PAGES = 16384;
    /** Address space each connection may map (not memory: pages come from the OS page cache). */
    public static final long MMAP_BYTES = 256L << 20;

    /** Largest decryption scratch buffer a connection keeps between reads. */
    public static final int SCRATCH_KEEP = 1 << 20;

    /** A connection with a cache of prepared statements; used by one thread at a time. */
    public static final class Conn implements AutoCloseable {
        private final Connection c;
        private final Map<String, PreparedStatement> cache = new HashMap<>();
        private final Runnable afterCommit;
        /** Decryption scratch, kept between uses up to {@link #SCRATCH_KEEP} bytes; wiped after each use. */
        private byte[] scratch = new byte[0];

        Conn(Connection c) {
            this(c, null);
        }

        Conn(Connection c, Runnable afterCommit) {
            this.c = c;
            this.afterCommit = afterCommit;
        }

        /** Commits the current transaction. */
        public void commit() throws SQLException {
            c.commit();
            if (afterCommit != null) {
                afterCommit.run();
            }
        }

        /**
         * A buffer of at least {@code n} bytes for decrypting a record: reused while it stays at
         * most {@link #SCRATCH_KEEP} bytes (a reused buffer is cache-warm and saves one allocation
         * of the record's size per read), a fresh one beyond. The caller wipes what it used.
         */
        public byte[] scratch(int n) {
            if (n <= scratch.length) {
                return scratch;
            }
            byte[] b = new byte[n];
            if (n <= SCRATCH_KEEP) {
                scratch = b;
            }
            return b;
        }

        public PreparedStatement ps(String sql) throws SQLException {
            PreparedStatement p = cache.get(sql);
            if (p == null) {
                p = c.prepareStatement(sql);
                cache.put(sql, p);
            }
            return p;
        }

        public Connection connection() {
            return c;
        }

        public void exec(String sql) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement p : cache.values()) {
                p.close();
            }
            cache.clear();
            c.close();
        }
    }

    /** Work on a connection that may throw SQLException. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Conn c) throws SQLException;
    }

    private final Path file;
    private Conn writer;
    /**
     * Idle reader connections, most recently returned first: a lone reader thread keeps using one
     * connection, whose page cache and prepared statements stay warm.
     */
    private final LinkedBlockingDeque<Conn> readers = new LinkedBlockingDeque<>(READERS);
    /** Runs PASSIVE checkpoints off the callers' path; guarded by {@link #checkpointLock}. */
    private Connection checkpointer;
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final Semaphore checkpointSignal = new Semaphore(0);
    private final AtomicInteger commitsSinceCheckpoint = new AtomicInteger();
    private final Thread checkpointThread;
    private volatile boolean closed;

    public Db(Path file) throws SQLException {
        this.file = file;
        openAll();
        checkpointThread = Thread.ofVirtual().name("twin-vault-checkpoint").start(this::checkpointLoop);
    }

    private void openAll() throws SQLException {
        writer = new Conn(open(false), this::committed);
        migrate(writer);
        writer.connection().setAutoCommit(true);
        try {
            writer.exec("PRAGMA wal_autocheckpoint = " + WRITER_AUTOCHECKPOINT_PAGES);
        } finally {
            writer.connection().setAutoCommit(false);
        }
        for (int i = 0; i < READERS; i++) {
            readers.add(new Conn(open(true)));
        }
        checkpointLock.lock();
        try {
            checkpointer = open(false);
            checkpointer.setAutoCommit(true);
        } finally {
            checkpointLock.unlock();
        }
    }

    private void committed() {
        if (commitsSinceCheckpoint.incrementAndGet() >= CHECKPOINT_EVERY_COMMITS) {
            commitsSinceCheckpoint.set(0);
            checkpointSignal.release();
        }
    }

    /**
     * Background WAL checkpoints: the copy into the database file and its fsyncs happen here, not
     * in a committing caller. Durability is unchanged: a transaction is durable (against a process
     * crash) once its frames are in the WAL, checkpointed or not.
     */
    private void checkpointLoop() {
        while (!closed) {
            try {
                checkpointSignal.acquire();
                checkpointSignal.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            checkpointLock.lock();
            try {
                if (closed) {
                    return;
                }
                if (checkpointer != null) { // null only while a restore has the database closed
                    try (Statement st = checkpointer.createStatement()) {
                        st.execute("PRAGMA wal_checkpoint(PASSIVE)");
                    }
                }
            } catch (SQLException e) {
                // Busy or interrupted: the next signal retries; the writer's own bound still applies.
                LoggerFactory.getLogger(Db.class).debug("background checkpoint: {}", e.getMessage());
            } finally {
                checkpointLock.unlock();
            }
        }
    }

    private void closeCheckpointer() throws SQLException {
        checkpointLock.lock();
        try {
            if (checkpointer != null) {
                checkpointer.close();
                checkpointer = null;
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    private Connection open(boolean readOnly) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.setBusyTimeout(10_000);
        cfg.setTempStore(SQLiteConfig.TempStore.MEMORY);
        cfg.enforceForeignKeys(true);
        cfg.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        // The vault never reads generated keys; without this the driver runs an extra
        // "SELECT last_insert_rowid()" (prepared anew) after every INSERT.
        cfg.setGetGeneratedKeys(false);
        // Reads map the database file instead of copying pages with pread: in WAL mode every commit
        // (audit group commits included) makes the other connections drop their page caches.
        cfg.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
        if (readOnly) {
            cfg.setReadOnly(true);
        }
        Connection c = cfg.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        c.setAutoCommit(readOnly);
        return c;
    }

    private static void migrate(Conn w) throws SQLException {
        int version;
        try (Statement s = w.connection().createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
            throw new SQLException("vault database schema " + version + " is newer than this software (" + SCHEMA_VERSION + ")");
        }
        if (version == 1) {
            throw new SQLException("the vault database has the pre-release schema 1, which this version does not read;"
                    + " create a new vault and copy the twins over with an older build");
        }
        if (version < 1) {
            for (String ddl : List.of(
                    "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID",
                    // One row per twin, with its wrapped data key (NULL once erased) and the clock of its latest change.
                    // num: the twin's number; its versions are the rows vid = num * 2^32 + version.
                    "CREATE TABLE twins(id TEXT PRIMARY KEY, owner TEXT NOT NULL, head INTEGER NOT NULL,"
                            + " privacy INTEGER NOT NULL, updated_ms INTEGER NOT NULL, erased INTEGER NOT NULL DEFAULT 0,"
                            + " kek_gen INTEGER NOT NULL, wrapped BLOB, hlc_wall INTEGER NOT NULL, hlc_counter INTEGER NOT NULL,"
                            + " num INTEGER NOT NULL) WITHOUT ROWID",
                    // Every version, clustered by vid = twin num * 2^32 + version (one b-tree, no secondary
                    // index: a write touches one page fewer). A version written locally also records
                    // its change (id and clock) for sync.
                    "CREATE TABLE versions(vid INTEGER PRIMARY KEY, twin_id TEXT NOT NULL, version INTEGER NOT NULL,"
                            + " updated_ms INTEGER NOT NULL, privacy INTEGER NOT NULL, author TEXT NOT NULL, flags INTEGER NOT NULL,"
                            + " change_id BLOB, hlc_wall INTEGER, hlc_counter INTEGER, sealed BLOB NOT NULL)",
                    // Changes received from other devices, and erase changes.
                    "CREATE TABLE changes(id BLOB PRIMARY KEY, twin_id TEXT NOT NULL, device BLOB NOT NULL,"
                            + " wall INTEGER NOT NULL, counter INTEGER NOT NULL, kind INTEGER NOT NULL, body BLOB NOT NULL)",
                    "CREATE INDEX changes_twin ON changes(twin_id)",
                    "CREATE TABLE policies(twin_id TEXT NOT NULL, user TEXT NOT NULL, ops INTEGER NOT NULL,"
                            + " expiry_ms INTEGER NOT NULL, granted_by TEXT NOT NULL, PRIMARY KEY(twin_id, user)) WITHOUT ROWID",
                    "CREATE INDEX policies_user ON policies(user)",
                    // The owner's devices: Ed25519 signing key, X25519 Noise static key, the card signature binding them.
                    "CREATE TABLE devices(owner TEXT NOT NULL, device BLOB NOT NULL, noise_key BLOB NOT NULL,"
                            + " card_sig BLOB NOT NULL, label TEXT NOT NULL, added_ms INTEGER NOT NULL,"
                            + " PRIMARY KEY(owner, device)) WITHOUT ROWID",
                    "CREATE INDEX devices_noise ON devices(noise_key)",
                    // Audit entries; entries up to max(audit_batches.last_seq) are signed.
                    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, twin_id TEXT, entry BLOB NOT NULL)",
                    "CREATE TABLE audit_batches(first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                            + " protected BLOB NOT NULL, signature BLOB NOT NULL)",
                    "PRAGMA user_version = 3")) {
                w.exec(ddl);
            }
            w.connection().commit();
        } else if (version == 2) {
            w.exec("DROP INDEX IF EXISTS twins_owner");
            w.exec("PRAGMA user_version = 3");
            w.connection().commit();
        }
    }

    /** The writer connection; the caller holds the vault's write lock and ends its transaction. */
    public Conn writer() {
        return writer;
    }

    /** Runs {@code work} on a pooled reader connection (blocks while all are busy). */
    public <T> T read(SqlWork<T> work) throws SQLException {
        Conn c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.run(c);
        } finally {
            readers.addFirst(c);
        }
    }

    /**
     * Closes every connection (waiting for borrowed readers to come back), runs {@code action}
     * with the database closed (e.g. to replace the file), then reopens.
     */
    public void whileClosed(SqlWork<Void> action) throws SQLException {
        List<Conn> all = drainReaders();
        closeCheckpointer();
        checkpoint(true);
        for (Conn c : all) {
            c.close();
        }
        writer.close();
        try {
            action.run(null);
        } finally {
            openAll();
        }
    }

    private List<Conn> drainReaders() throws SQLException {
        List<Conn> all = new ArrayList<>(READERS);
        try {
            for (int i = 0; i < READERS; i++) {
                all.add(readers.take());
            }
        } catch (InterruptedException e) {
            readers.addAll(all);
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while closing the database", e);
        }
        return all;
    }

    /** Copies the WAL into the database; with {@code truncate}, also empties the WAL file. */
    public void checkpoint(boolean truncate) throws SQLException {
        Connection c = writer.connection();
        c.commit();
        c.setAutoCommit(true);
        try {
            writer.exec("PRAGMA wal_checkpoint(" + (truncate ? "TRUNCATE" : "PASSIVE") + ")");
        } finally {
            c.setAutoCommit(false);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws SQLException {
        closed = true;
        checkpointThread.interrupt();
        List<Conn> all = drainReaders();
        SQLException first = null;
        try {
            closeCheckpointer();
        } catch (SQLException e) {
            first = e;
        }
        for (Conn c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        try {
            writer.connection().rollback();
            checkpoint(true);
        } catch (SQLException e) {
            first = first == null ? e : first;
        }
        writer.close();
        if (first != null) {
            throw first;
        }
    }
}
