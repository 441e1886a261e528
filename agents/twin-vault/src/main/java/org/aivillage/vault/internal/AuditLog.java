package org.aivillage.vault.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.vault.CoseSign1;
import org.aivillage.vault.Receipt;

/**
 * The hash-chained, signed audit log. Receipts of writes are appended inside the write's own
 * transaction (an acknowledged write always has its receipt). Receipts of reads are queued in a
 * bounded queue (callers block when it is full) and appended in batches by the next transaction:
 * a write, or the background flusher (group commit).
 */
public final class AuditLog {
    /** An operation to record. */
    public record Event(Instant time, String actor, String operation, String twinId, Long version, String outcome, String detail) {}

    /** The chain head, to restore if a transaction rolls back. */
    public record Mark(long seq, byte[] hash) {}

    private final byte[] vaultId;
    private final BlockingQueue<Event> pending;
    private volatile KeyPair signer;
    private long lastSeq;
    private byte[] lastHash;

    public AuditLog(byte[] vaultId, KeyPair signer, int queueCapacity) {
        this.vaultId = vaultId.clone();
        this.signer = signer;
        this.pending = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Loads the chain head from the database (on open and after a restore). */
    public synchronized void load(Db.Conn c) throws SQLException {
        PreparedStatement ps = c.ps("SELECT seq, receipt FROM audit ORDER BY seq DESC LIMIT 1");
        try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                lastSeq = rs.getLong(1);
                lastHash = org.aivillage.betanet.crypto.Hashes.sha256(rs.getBytes(2));
            } else {
                lastSeq = 0;
                lastHash = new byte[32];
            }
        }
    }

    public void setSigner(KeyPair kp) {
        this.signer = kp;
    }

    public synchronized Mark mark() {
        return new Mark(lastSeq, lastHash.clone());
    }

    public synchronized void reset(Mark m) {
        lastSeq = m.seq();
        lastHash = m.hash().clone();
    }

    /** Queues a read's receipt; blocks while the queue is full. */
    public void enqueue(Event e) {
        try {
            pending.put(e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing an audit receipt", ie);
        }
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Appends every queued event (in the caller's write transaction). */
    public synchronized void appendPending(Db.Conn w) throws SQLException {
        List<Event> batch = new ArrayList<>();
        pending.drainTo(batch);
        for (Event e : batch) {
            append(w, e);
        }
    }

    /** Signs and inserts one receipt in the caller's write transaction. */
    public synchronized Receipt append(Db.Conn w, Event e) throws SQLException {
        long seq = lastSeq + 1;
        byte[] payload = Receipt.payload(vaultId, seq, e.time(), e.actor(), e.operation(), e.twinId(), e.version(),
                e.outcome(), lastHash, e.detail());
        KeyPair kp = signer;
        byte[] priv = kp.privateKey();
        byte[] cose;
        try {
            cose = CoseSign1.sign(priv, kp.publicKey(), payload).encode();
        } finally {
            Sealer.wipe(priv);
        }
        PreparedStatement ps = w.ps("INSERT INTO audit(seq, twin_id, receipt) VALUES (?, ?, ?)");
        ps.setLong(1, seq);
        ps.setString(2, e.twinId());
        ps.setBytes(3, cose);
        ps.executeUpdate();
        lastSeq = seq;
        lastHash = org.aivillage.betanet.crypto.Hashes.sha256(cose);
        try {
            return Receipt.decode(cose);
        } catch (CodecException ex) {
            throw new IllegalStateException("a receipt we just encoded does not decode", ex);
        }
    }
}
