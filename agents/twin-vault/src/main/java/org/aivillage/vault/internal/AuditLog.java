package org.aivillage.vault.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.vault.CoseSign1;
import org.aivillage.vault.Receipt;

/**
 * The audit log: hash-chained entries, signed in batches. An entry is appended in the
 * transaction of the operation it records (a write and its entry commit together); entries of
 * reads wait in a bounded queue (callers block when it is full) and are appended by the next
 * audit flush. A background signer takes the committed, unsigned entries, computes their RFC 9162
 * Merkle root and signs it once (COSE_Sign1, detached payload); every entry's receipt is that
 * signature plus its inclusion proof (RFC 9942). Signing is off the caller's path, so one
 * signature covers every operation since the last batch (group commit for signatures).
 *
 * <p>Appends and batch snapshots happen under the vault's write lock; this class also
 * synchronises its own state.
 */
public final class AuditLog {
    /** An operation to record. */
    public record Event(Instant time, String actor, String operation, String twinId, Long version, String outcome, String detail) {}

    /** The chain head and unsigned tail, to restore if a transaction rolls back. */
    public record Mark(long seq, byte[] hash, int unsigned) {}

    /** Committed entries to sign as one batch. */
    public record Batch(long firstSeq, List<byte[]> entries) {
        public long lastSeq() {
            return firstSeq + entries.size() - 1;
        }
    }

    /** A signed batch, ready to store. */
    public record SignedBatch(long firstSeq, long lastSeq, byte[] protectedHeader, byte[] signature) {}

    public static final int MAX_BATCH = 4096;

    private record Unsigned(long seq, byte[] entry) {}

    private final byte[] vaultId;
    private final BlockingQueue<Event> pending;
    private volatile KeyPair signer;
    private long lastSeq;
    private byte[] lastHash = new byte[32];
    private final List<Unsigned> unsigned = new ArrayList<>();
    private long signedThrough;

    public AuditLog(byte[] vaultId, KeyPair signer, int queueCapacity) {
        this.vaultId = vaultId.clone();
        this.signer = signer;
        this.pending = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Loads the chain head and the unsigned tail from the database (on open and after a restore). */
    public synchronized void load(Db.Conn c) throws SQLException {
        lastSeq = 0;
        lastHash = new byte[32];
        try (ResultSet rs = c.ps("SELECT seq, entry FROM audit ORDER BY seq DESC LIMIT 1").executeQuery()) {
            if (rs.next()) {
                lastSeq = rs.getLong(1);
                lastHash = Hashes.sha256(rs.getBytes(2));
            }
        }
        long signed = 0;
        try (ResultSet rs = c.ps("SELECT max(last_seq) FROM audit_batches").executeQuery()) {
            if (rs.next()) {
                signed = rs.getLong(1);
            }
        }
        unsigned.clear();
        PreparedStatement ps = c.ps("SELECT seq, entry FROM audit WHERE seq > ? ORDER BY seq");
        ps.setLong(1, signed);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                unsigned.add(new Unsigned(rs.getLong(1), rs.getBytes(2)));
            }
        }
        signedThrough = signed;
        notifyAll();
    }

    public synchronized Mark mark() {
        return new Mark(lastSeq, lastHash.clone(), unsigned.size());
    }

    public synchronized void reset(Mark m) {
        lastSeq = m.seq();
        lastHash = m.hash().clone();
        while (unsigned.size() > m.unsigned()) {
            unsigned.removeLast();
        }
    }

    /** Queues a read's entry; blocks while the queue is full. */
    public void enqueue(Event e) {
        try {
            pending.put(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing an audit entry", ie);
        }
    }

    /** Read entries waiting in the queue. */
    public int queued() {
        return pending.size();
    }

    /** Rows per INSERT when appending queued entries: fewer statement executions per entry. */
    private static final int[] ROWS_PER_INSERT = {64, 16, 4, 1};

    private static String insertSql(int rows) {
        StringBuilder b = new StringBuilder("INSERT INTO audit(seq, twin_id, entry) VALUES (?, ?, ?)");
        for (int i = 1; i < rows; i++) {
            b.append(", (?, ?, ?)");
        }
        return b.toString();
    }

    private static final String[] INSERT_SQL = java.util.Arrays.stream(ROWS_PER_INSERT).mapToObj(AuditLog::insertSql).toArray(String[]::new);

    /**
     * Appends every queued event (in the caller's write transaction), several rows per INSERT;
     * returns how many. On an exception the caller rolls back and {@link #reset}s to its mark.
     */
    public int appendPending(Db.Conn w) throws SQLException {
        List<Event> batch = new ArrayList<>();
        pending.drainTo(batch);
        if (batch.isEmpty()) {
            return 0;
        }
        synchronized (this) {
            int i = 0;
            int size = 0;
            while (i < batch.size()) {
                int left = batch.size() - i;
                while (ROWS_PER_INSERT[size] > left) {
                    size++;
                }
                int rows = ROWS_PER_INSERT[size];
                PreparedStatement ps = w.ps(INSERT_SQL[size]);
                for (int r = 0; r < rows; r++) {
                    byte[] entry = next(batch.get(i + r));
                    ps.setLong(3 * r + 1, lastSeq);
                    ps.setString(3 * r + 2, batch.get(i + r).twinId());
                    ps.setBytes(3 * r + 3, entry);
                }
                ps.executeUpdate();
                i += rows;
            }
        }
        return batch.size();
    }

    /** Chains the next entry for {@code e} in memory (seq, hash, unsigned tail); the caller stores it. */
    private byte[] next(Event e) {
        long seq = lastSeq + 1;
        byte[] entry = Receipt.entry(vaultId, seq, e.time(), e.actor(), e.operation(), e.twinId(), e.version(),
                e.outcome(), lastHash, e.detail());
        lastSeq = seq;
        lastHash = Hashes.sha256(entry);
        unsigned.add(new Unsigned(seq, entry));
        return entry;
    }

    /** Appends one entry in the caller's write transaction; returns its sequence number. */
    public synchronized long append(Db.Conn w, Event e) throws SQLException {
        Mark before = mark();
        byte[] entry = next(e);
        PreparedStatement ps = w.ps(INSERT_SQL[ROWS_PER_INSERT.length - 1]);
        ps.setLong(1, lastSeq);
        ps.setString(2, e.twinId());
        ps.setBytes(3, entry);
        try {
            ps.executeUpdate();
        } catch (SQLException ex) {
            reset(before);
            throw ex;
        }
        return lastSeq;
    }

    /** The committed, unsigned entries to sign next (call under the write lock, outside a transaction). */
    public synchronized Batch takeBatch() {
        if (unsigned.isEmpty()) {
            return null;
        }
        int n = Math.min(MAX_BATCH, unsigned.size());
        List<byte[]> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(unsigned.get(i).entry());
        }
        return new Batch(unsigned.getFirst().seq(), entries);
    }

    /** Signs a batch's Merkle root (no lock needed). */
    public SignedBatch sign(Batch b) {
        List<byte[]> leaves = new ArrayList<>(b.entries().size());
        b.entries().forEach(e -> leaves.add(Merkle.leafHash(e)));
        byte[] root = Merkle.root(leaves);
        KeyPair kp = signer;
        byte[] prot = Receipt.protectedHeader(kp.publicKey());
        byte[] priv = kp.privateKey();
        try {
            CoseSign1 c = CoseSign1.signDetached(priv, prot, org.aivillage.betanet.codec.CborValue.map(), root);
            return new SignedBatch(b.firstSeq(), b.lastSeq(), prot, c.signature());
        } finally {
            Sealer.wipe(priv);
        }
    }

    /** Stores a signed batch (in the caller's write transaction). */
    public static void store(Db.Conn w, SignedBatch s) throws SQLException {
        PreparedStatement ins = w.ps("INSERT INTO audit_batches(first_seq, last_seq, protected, signature) VALUES (?, ?, ?, ?)");
        ins.setLong(1, s.firstSeq());
        ins.setLong(2, s.lastSeq());
        ins.setBytes(3, s.protectedHeader());
        ins.setBytes(4, s.signature());
        ins.executeUpdate();
    }

    /** Records that a stored batch committed; wakes callers waiting for its receipts. */
    public synchronized void committed(SignedBatch s) {
        unsigned.removeIf(u -> u.seq() <= s.lastSeq());
        signedThrough = Math.max(signedThrough, s.lastSeq());
        notifyAll();
    }

    public synchronized boolean hasUnsigned() {
        return !unsigned.isEmpty() || !pending.isEmpty();
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** Waits until entry {@code seq} is signed; false on timeout. */
    public synchronized boolean awaitSigned(long seq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (signedThrough < seq) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Builds the receipt of one signed entry from the database. Returns null when not signed yet. */
    public static Receipt receipt(Db.Conn c, long seq) throws SQLException {
        long batch = batchOf(c, seq);
        return batch < 0 ? null : receipts(c, batch, seq, seq).getFirst();
    }

    /** The first sequence number of the signed batch holding entry {@code seq}, or -1 when it is not signed. */
    public static long batchOf(Db.Conn c, long seq) throws SQLException {
        try (ResultSet rs = stmt(c, "SELECT first_seq, last_seq FROM audit_batches WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1",
                seq).executeQuery()) {
            return rs.next() && rs.getLong(2) >= seq ? rs.getLong(1) : -1;
        }
    }

    /** The receipts of entries {@code from..to} that lie in the batch starting at {@code batch}. */
    public static List<Receipt> receipts(Db.Conn c, long batch, long from, long to) throws SQLException {
        byte[] prot;
        byte[] sig;
        long last;
        try (ResultSet rs = stmt(c, "SELECT last_seq, protected, signature FROM audit_batches WHERE first_seq = ?", batch).executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit batch " + batch + " is missing");
            }
            last = rs.getLong(1);
            prot = rs.getBytes(2);
            sig = rs.getBytes(3);
        }
        List<byte[]> entries = new ArrayList<>();
        PreparedStatement ps = c.ps("SELECT entry FROM audit WHERE seq BETWEEN ? AND ? ORDER BY seq");
        ps.setLong(1, batch);
        ps.setLong(2, last);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(rs.getBytes(1));
            }
        }
        List<byte[]> leaves = new ArrayList<>(entries.size());
        entries.forEach(e -> leaves.add(Merkle.leafHash(e)));
        List<Receipt> out = new ArrayList<>();
        for (long seq = Math.max(from, batch); seq <= Math.min(to, last); seq++) {
            int index = (int) (seq - batch);
            if (index >= entries.size()) {
                throw new SQLException("audit batch " + batch + " lacks entry " + seq);
            }
            List<byte[]> path = Merkle.inclusionPath(leaves, index);
            CoseSign1 cose = new CoseSign1(prot, Receipt.inclusionHeader(entries.size(), index, path), null, sig);
            try {
                out.add(Receipt.decode(Receipt.bundle(entries.get(index), cose)));
            } catch (CodecException e) {
                throw new SQLException("audit entry " + seq + " is malformed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static PreparedStatement stmt(Db.Conn c, String sql, long arg) throws SQLException {
        PreparedStatement ps = c.ps(sql);
        ps.setLong(1, arg);
        return ps;
    }

    public void setSigner(KeyPair kp) {
        this.signer = kp;
    }
}
