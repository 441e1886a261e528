package org.aivillage.dtn.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aivillage.dtn.DtnException;
import org.aivillage.dtn.StoreFullException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable bundle store: one SQLite database file in WAL mode, written by a single writer
 * thread that batches concurrent requests into one transaction (group commit). A write call
 * returns only after its transaction committed, so an acknowledged bundle survives {@code kill -9}.
 *
 * <p>Durability: with {@code synchronous=FULL} (the default) SQLite fsyncs the WAL at every
 * commit, so a committed batch also survives power loss; group commit pays that fsync once per
 * batch. {@code synchronous=NORMAL} skips the per-commit fsync: still safe against a process
 * crash or {@code kill -9} (the WAL is in the OS page cache), but the last batches can be lost on
 * power failure. The node exposes the choice as {@code fsync_every_commit}.
 *
 * <p>Capacity: the sum of stored bundle sizes is kept at or below {@code maxBytes}. When a new
 * bundle does not fit, expired bundles go first, then bundles of strictly lower priority (lowest
 * first, oldest first among equals); if that still does not make room the new bundle is refused
 * with {@link StoreFullException} and nothing changes.
 */
public final class BundleStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BundleStore.class);
    private static final int SCHEMA_VERSION = 1;
    private static final int MAX_BATCH = 2048;

    /** Row states. */
    public static final int STATE_FORWARD = 0;
    public static final int STATE_LOCAL = 1;
    public static final int STATE_FRAGMENT = 2;

    /** Metadata of one stored bundle (the bytes are loaded separately). */
    public record Entry(String id, String destination, int priority, long expiresAtMillis, int size, int state,
            long copies, long receivedAtMillis) {}

    private final Path file;
    private final long maxBytes;
    private final Connection writer;
    private final Connection reader;
    private final BlockingQueue<Op> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread writerThread;
    private final Map<String, Entry> entries = new HashMap<>();
    /** Seen ids with their expiry, mirrored in memory while there are at most {@link #SEEN_IN_MEMORY} of them. */
    private final Map<String, Long> seenIds = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SEEN_IN_MEMORY = 500_000;
    private volatile boolean seenMirrored = true;
    private long usedBytes;
    private volatile boolean closed;
    private volatile long commits;
    private volatile long committedOps;

    private sealed interface Op permits Insert, Delete, Update, Seen, Barrier, Meta {}

    private record Insert(Entry e, byte[] data, List<String> evict, CompletableFuture<Void> done) implements Op {}

    private record Delete(String id, String seenId, long seenExpires, CompletableFuture<Void> done) implements Op {}

    private record Update(String id, int state, long copies, CompletableFuture<Void> done) implements Op {}

    private record Seen(String id, long expires, CompletableFuture<Void> done) implements Op {}

    private record Meta(String key, String value, CompletableFuture<Void> done) implements Op {}

    private record Barrier(CompletableFuture<Void> done) implements Op {}

    public BundleStore(Path file, long maxBytes, boolean fsyncEveryCommit) throws DtnException {
        this.file = file;
        this.maxBytes = maxBytes;
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            java.util.Properties props = new java.util.Properties();
            // No generated-key lookup after every INSERT (xerial runs an extra query for it otherwise).
            props.setProperty("jdbc.get_generated_keys", "false");
            writer = DriverManager.getConnection("jdbc:sqlite:" + file, props);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + (fsyncEveryCommit ? "FULL" : "NORMAL"));
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA wal_autocheckpoint=4000");
                s.execute("PRAGMA cache_size=-16384");
                s.execute("PRAGMA temp_store=MEMORY");
            }
            migrate();
            writer.setAutoCommit(false);
            reader = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = reader.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
            }
            loadIndex();
        } catch (Exception e) {
            throw new DtnException("cannot open bundle store " + file + ": " + e.getMessage(), e);
        }
        writerThread = Thread.ofPlatform().name("dtn-store-writer").daemon(true).start(this::writeLoop);
    }

    private void migrate() throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            int version = 0;
            try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='schema_version'")) {
                if (rs.next()) {
                    version = Integer.parseInt(rs.getString(1));
                }
            }
            if (version < 1) {
                s.execute("CREATE TABLE IF NOT EXISTS bundles (id TEXT PRIMARY KEY, destination TEXT NOT NULL,"
                        + " priority INTEGER NOT NULL, expires_at INTEGER NOT NULL, size INTEGER NOT NULL,"
                        + " state INTEGER NOT NULL, copies INTEGER NOT NULL, received_at INTEGER NOT NULL,"
                        + " data BLOB NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)");
                s.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            }
        }
    }

    private void loadIndex() throws SQLException {
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, expires_at FROM seen LIMIT " + (SEEN_IN_MEMORY + 1))) {
            while (rs.next()) {
                seenIds.put(rs.getString(1), rs.getLong(2));
            }
        }
        if (seenIds.size() > SEEN_IN_MEMORY) {
            seenIds.clear();
            seenMirrored = false;
        }
        try (Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, destination, priority, expires_at, size, state, copies,"
                        + " received_at FROM bundles")) {
            while (rs.next()) {
                Entry e = new Entry(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getInt(5),
                        rs.getInt(6), rs.getLong(7), rs.getLong(8));
                entries.put(e.id(), e);
                usedBytes += e.size();
            }
        }
    }

    public Path file() {
        return file;
    }

    /** Every stored bundle's metadata (a snapshot). */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    public synchronized boolean contains(String id) {
        return entries.containsKey(id);
    }

    public synchronized long usedBytes() {
        return usedBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized int count() {
        return entries.size();
    }

    public long commits() {
        return commits;
    }

    public long committedOps() {
        return committedOps;
    }

    /**
     * Stores a bundle durably; returns after the commit. Returns false (and changes nothing) if a
     * bundle with this id is already stored. Makes room per the eviction policy or throws
     * {@link StoreFullException}. Returns the ids evicted to make room through {@code evicted}.
     */
    public boolean insert(Entry e, byte[] data, long nowMillis, List<String> evicted) throws DtnException {
        List<String> evict;
        synchronized (this) {
            if (entries.containsKey(e.id())) {
                return false;
            }
            evict = planEviction(e, nowMillis);
            for (String id : evict) {
                Entry gone = entries.remove(id);
                usedBytes -= gone.size();
            }
            entries.put(e.id(), e);
            usedBytes += e.size();
        }
        if (evicted != null) {
            evicted.addAll(evict);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Insert(e, data, evict, done));
        try {
            await(done);
        } catch (DtnException ex) {
            synchronized (this) {
                if (entries.remove(e.id()) != null) {
                    usedBytes -= e.size();
                }
            }
            throw ex;
        }
        return true;
    }

    private List<String> planEviction(Entry e, long now) throws StoreFullException {
        if (usedBytes + e.size() <= maxBytes) {
            return List.of();
        }
        if (e.size() > maxBytes) {
            throw new StoreFullException("bundle of " + e.size() + " bytes exceeds the store capacity of " + maxBytes);
        }
        long need = usedBytes + e.size() - maxBytes;
        List<Entry> candidates = new ArrayList<>();
        for (Entry x : entries.values()) {
            if (x.expiresAtMillis() <= now || x.priority() < e.priority()) {
                candidates.add(x);
            }
        }
        candidates.sort(Comparator.comparing((Entry x) -> x.expiresAtMillis() > now)
                .thenComparingInt(Entry::priority).thenComparingLong(Entry::receivedAtMillis));
        List<String> out = new ArrayList<>();
        long freed = 0;
        for (Entry x : candidates) {
            if (freed >= need) {
                break;
            }
            out.add(x.id());
            freed += x.size();
        }
        if (freed < need) {
            throw new StoreFullException("bundle store full: " + usedBytes + " of " + maxBytes
                    + " bytes used and nothing expired or of lower priority to evict");
        }
        return out;
    }

    /** Deletes a bundle; if {@code seenId} is non-null records it as seen until {@code seenExpires} in the same transaction. */
    public void delete(String id, String seenId, long seenExpires) throws DtnException {
        if (seenId != null) {
            rememberSeen(seenId, seenExpires);
        }
        synchronized (this) {
            Entry gone = entries.remove(id);
            if (gone != null) {
                usedBytes -= gone.size();
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Delete(id, seenId, seenExpires, done));
        await(done);
    }

    /** Deletes without waiting for the commit (for bookkeeping that may be redone after a crash). */
    public void deleteAsync(String id) throws DtnException {
        synchronized (this) {
            Entry gone = entries.remove(id);
            if (gone != null) {
                usedBytes -= gone.size();
            }
        }
        submit(new Delete(id, null, 0, null));
    }

    public void update(String id, int state, long copies) throws DtnException {
        synchronized (this) {
            Entry e = entries.get(id);
            if (e == null) {
                return;
            }
            entries.put(id, new Entry(e.id(), e.destination(), e.priority(), e.expiresAtMillis(), e.size(), state,
                    copies, e.receivedAtMillis()));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Update(id, state, copies, done));
        await(done);
    }

    /** Records a bundle id as seen (delivered or consumed) until {@code expires}. */
    public void markSeen(String id, long expires) throws DtnException {
        rememberSeen(id, expires);
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Seen(id, expires, done));
        await(done);
    }

    private void rememberSeen(String id, long expires) {
        if (seenMirrored) {
            seenIds.put(id, expires);
            if (seenIds.size() > SEEN_IN_MEMORY) {
                seenMirrored = false;
                seenIds.clear();
            }
        }
    }

    /** Whether {@code id} was recorded as seen (from memory while the mirror is complete, else from the database). */
    public boolean seen(String id) throws DtnException {
        if (seenMirrored) {
            return seenIds.containsKey(id);
        }
        synchronized (reader) {
            try (PreparedStatement ps = reader.prepareStatement("SELECT 1 FROM seen WHERE id=?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            } catch (SQLException e) {
                throw new DtnException("bundle store read failed: " + e.getMessage(), e);
            }
        }
    }

    public byte[] load(String id) throws DtnException {
        synchronized (reader) {
            try (PreparedStatement ps = reader.prepareStatement("SELECT data FROM bundles WHERE id=?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            } catch (SQLException e) {
                throw new DtnException("bundle store read failed: " + e.getMessage(), e);
            }
        }
    }

    public void putMeta(String key, String value) throws DtnException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Meta(key, value, done));
        await(done);
    }

    public String meta(String key) throws DtnException {
        synchronized (reader) {
            try (PreparedStatement ps = reader.prepareStatement("SELECT value FROM meta WHERE key=?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new DtnException("bundle store read failed: " + e.getMessage(), e);
            }
        }
    }

    /** Waits until every write submitted before this call has committed. */
    public void flush() throws DtnException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Barrier(done));
        await(done);
    }

    /** Removes seen-records whose time has passed. */
    public void purgeSeen(long nowMillis) throws DtnException {
        seenIds.values().removeIf(e -> e < nowMillis);
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Meta("\0purge_seen", Long.toString(nowMillis), done));
        await(done);
    }

    private void submit(Op op) throws DtnException {
        if (closed) {
            throw new DtnException("bundle store is closed");
        }
        try {
            if (!queue.offer(op, 30, TimeUnit.SECONDS)) {
                throw new DtnException("bundle store write queue stayed full for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DtnException("interrupted while queueing a store write");
        }
    }

    private static void await(CompletableFuture<Void> f) throws DtnException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DtnException("interrupted while waiting for the store commit");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof DtnException d ? d : new DtnException("bundle store write failed: " + c.getMessage(), c);
        }
    }

    private void writeLoop() {
        List<Op> batch = new ArrayList<>(MAX_BATCH);
        try (PreparedStatement insert = writer.prepareStatement("INSERT OR IGNORE INTO bundles(id, destination, priority,"
                + " expires_at, size, state, copies, received_at, data) VALUES (?,?,?,?,?,?,?,?,?)");
                PreparedStatement delete = writer.prepareStatement("DELETE FROM bundles WHERE id=?");
                PreparedStatement update = writer.prepareStatement("UPDATE bundles SET state=?, copies=? WHERE id=?");
                PreparedStatement seen = writer.prepareStatement("INSERT OR REPLACE INTO seen(id, expires_at) VALUES (?,?)");
                PreparedStatement meta = writer.prepareStatement("INSERT OR REPLACE INTO meta(key, value) VALUES (?,?)");
                PreparedStatement purge = writer.prepareStatement("DELETE FROM seen WHERE expires_at < ?")) {
            while (true) {
                Op first;
                try {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    first = null;
                }
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                try {
                    for (Op op : batch) {
                        switch (op) {
                            case Insert i -> {
                                for (String id : i.evict()) {
                                    delete.setString(1, id);
                                    delete.executeUpdate();
                                }
                                Entry e = i.e();
                                insert.setString(1, e.id());
                                insert.setString(2, e.destination());
                                insert.setInt(3, e.priority());
                                insert.setLong(4, e.expiresAtMillis());
                                insert.setInt(5, e.size());
                                insert.setInt(6, e.state());
                                insert.setLong(7, e.copies());
                                insert.setLong(8, e.receivedAtMillis());
                                insert.setBytes(9, i.data());
                                insert.executeUpdate();
                            }
                            case Delete d -> {
                                delete.setString(1, d.id());
                                delete.executeUpdate();
                                if (d.seenId() != null) {
                                    seen.setString(1, d.seenId());
                                    seen.setLong(2, d.seenExpires());
                                    seen.executeUpdate();
                                }
                            }
                            case Update u -> {
                                update.setInt(1, u.state());
                                update.setLong(2, u.copies());
                                update.setString(3, u.id());
                                update.executeUpdate();
                            }
                            case Seen s -> {
                                seen.setString(1, s.id());
                                seen.setLong(2, s.expires());
                                seen.executeUpdate();
                            }
                            case Meta m when m.key().equals("\0purge_seen") -> {
                                purge.setLong(1, Long.parseLong(m.value()));
                                purge.executeUpdate();
                            }
                            case Meta m -> {
                                meta.setString(1, m.key());
                                meta.setString(2, m.value());
                                meta.executeUpdate();
                            }
                            case Barrier b -> {}
                        }
                    }
                    writer.commit();
                    commits++;
                    committedOps += batch.size();
                    for (Op op : batch) {
                        complete(op, null);
                    }
                } catch (SQLException e) {
                    LOG.error("bundle store commit of {} writes failed: {}", batch.size(), e.getMessage());
                    try {
                        writer.rollback();
                    } catch (SQLException ignored) {
                        // the connection is unusable; every pending write fails below
                    }
                    DtnException failure = new DtnException("bundle store commit failed: " + e.getMessage(), e);
                    for (Op op : batch) {
                        complete(op, failure);
                    }
                }
                batch.clear();
            }
        } catch (SQLException e) {
            LOG.error("bundle store writer stopped: {}", e.getMessage());
        }
    }

    private static void complete(Op op, DtnException failure) {
        CompletableFuture<Void> f = switch (op) {
            case Insert i -> i.done();
            case Delete d -> d.done();
            case Update u -> u.done();
            case Seen s -> s.done();
            case Meta m -> m.done();
            case Barrier b -> b.done();
        };
        if (f == null) {
            return;
        }
        if (failure == null) {
            f.complete(null);
        } else {
            f.completeExceptionally(failure);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writerThread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
        } catch (SQLException e) {
            LOG.warn("closing the store writer: {}", e.getMessage());
        }
        synchronized (reader) {
            try {
                reader.close();
            } catch (SQLException e) {
                LOG.warn("closing the store reader: {}", e.getMessage());
            }
        }
    }
}
