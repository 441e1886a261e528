package org.aivillage.betanet.htx.internal;

import java.util.function.LongSupplier;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.htx.RekeyPolicy;

/**
 * The sending direction of the frame protection: seals frames with ChaCha20-Poly1305 under the
 * current direction key, nonce = NS XOR (LE64(counter) || LE32(0)), AAD = the frame header.
 * Counts frames, bytes and key age against the {@link RekeyPolicy}. Not thread-safe: the
 * connection's write lock serialises it with the socket writes so wire order = nonce order.
 */
public final class FrameSealer implements AutoCloseable {
    private final byte[] transcriptHash;
    private final RekeyPolicy policy;
    private final LongSupplier nanoTime;
    private final byte[] nonce = new byte[KeySchedule.NONCE_LENGTH];
    /** One reusable AAD array per header length (headers are 4..12 bytes). */
    private final byte[][] aads = new byte[FrameCodec.MAX_HEADER_LENGTH + 1][];
    private byte[] key;
    private byte[] ns;
    private Aead aead;
    private long counter;
    private long bytes;
    private long keyStartNanos;
    private long generation;
    private long totalFrames;

    /** Takes ownership of {@code key} (wiped on rekey/close). */
    public FrameSealer(byte[] key, byte[] transcriptHash, RekeyPolicy policy, LongSupplier nanoTime) {
        this.transcriptHash = transcriptHash.clone();
        this.policy = policy;
        this.nanoTime = nanoTime;
        install(key);
    }

    private void install(byte[] newKey) {
        if (aead != null) {
            aead.destroy();
        }
        if (key != null) {
            ConstantTime.wipe(key);
        }
        key = newKey;
        ns = KeySchedule.nonceSalt(key);
        aead = Aead.chaCha20Poly1305(key);
        counter = 0;
        bytes = 0;
        keyStartNanos = nanoTime.getAsLong();
    }

    /** Bytes a sealed frame occupies on the wire. */
    public static int sealedLength(FrameType type, long streamId, int plaintextLength) {
        return FrameCodec.headerLength(type, streamId) + plaintextLength + FrameCodec.TAG_LENGTH;
    }

    /**
     * Seals {@code pt[off, off+len)} as one frame into {@code out[outOff..]}: header, ciphertext,
     * tag. Returns the bytes written.
     */
    public int seal(FrameType type, long streamId, byte[] pt, int off, int len, byte[] out, int outOff) {
        if (aead == null) {
            throw new IllegalStateException("sealer closed");
        }
        int h = FrameCodec.writeHeader(out, outOff, len, type, type.hasStreamId() ? streamId : -1);
        byte[] aad = aads[h];
        if (aad == null) {
            aad = aads[h] = new byte[h];
        }
        System.arraycopy(out, outOff, aad, 0, h);
        KeySchedule.nonce(ns, counter, nonce);
        int n = aead.seal(nonce, aad, pt, off, len, out, outOff + h);
        counter++;
        totalFrames++;
        bytes += len;
        return h + n;
    }

    /** True when the next frame must be preceded by KEY_UPDATE. */
    public boolean rekeyDue() {
        return counter + 1 >= policy.maxFrames()
                || bytes >= policy.maxBytes()
                || nanoTime.getAsLong() - keyStartNanos >= policy.maxAge().toNanos();
    }

    /** Switches to K' after a KEY_UPDATE has been sealed under the current key. */
    public void rekey() {
        install(KeySchedule.nextKey(key, transcriptHash));
        generation++;
    }

    public long generation() {
        return generation;
    }

    public long counter() {
        return counter;
    }

    public long totalFrames() {
        return totalFrames;
    }

    /** The nonce the next frame will use (tests: uniqueness). */
    byte[] nextNonce() {
        byte[] n = new byte[KeySchedule.NONCE_LENGTH];
        KeySchedule.nonce(ns, counter, n);
        return n;
    }

    @Override
    public void close() {
        if (aead != null) {
            aead.destroy();
            aead = null;
        }
        if (key != null) {
            ConstantTime.wipe(key);
        }
    }
}
