package org.aivillage.betanet.htx.internal;

import java.util.Arrays;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.ConstantTime;

/**
 * The receiving direction of the frame protection. Opens each frame under the current key with
 * the implicit counter. KEY_UPDATE (verified under the current key) switches to K'. Out-of-order
 * acceptance (§5.3): a frame that fails under the current key but verifies under K' at counter 0
 * means the sender's KEY_UPDATE is still behind it; the opener switches at once and keeps the old
 * key only to recognise and drop frames that verify solely under it (the late KEY_UPDATE among
 * them). On an in-order transport (TCP) this path never triggers; it keeps the frame layer ready
 * for a transport that may reorder. Not thread-safe: one reader thread per connection.
 */
public final class FrameOpener implements AutoCloseable {
    /** What to do with a frame that authenticated. */
    public enum Outcome {
        /** Plaintext was written; act on the frame. */
        ACCEPTED,
        /** Verified only under the superseded key: drop it. */
        DROPPED_OLD_KEY
    }

    private static final class Generation {
        final byte[] key;
        final byte[] ns;
        final Aead aead;
        long counter;

        Generation(byte[] key) {
            this.key = key;
            this.ns = KeySchedule.nonceSalt(key);
            this.aead = Aead.chaCha20Poly1305(key);
        }

        void destroy() {
            aead.destroy();
            ConstantTime.wipe(key);
        }
    }

    private final byte[] transcriptHash;
    private final byte[] nonce = new byte[KeySchedule.NONCE_LENGTH];
    /** One reusable AAD array per header length (headers are 4..12 bytes). */
    private final byte[][] aads = new byte[FrameCodec.MAX_HEADER_LENGTH + 1][];
    private Generation current;
    private Generation previous;
    private long generation;
    private long dropped;

    public FrameOpener(byte[] key, byte[] transcriptHash) {
        this.transcriptHash = transcriptHash.clone();
        this.current = new Generation(key);
    }

    /**
     * Opens the frame whose header (the AAD) is {@code buf[headerOff, headerOff+header.headerLength())}
     * and whose ciphertext and tag follow it, writing the plaintext to {@code out[0..header.length())}.
     */
    public Outcome open(FrameHeader header, byte[] buf, int headerOff, byte[] out) throws AuthenticationFailedException {
        if (current == null) {
            throw new IllegalStateException("opener closed");
        }
        int h = header.headerLength();
        byte[] aad = aads[h];
        if (aad == null) {
            aad = aads[h] = new byte[h];
        }
        System.arraycopy(buf, headerOff, aad, 0, h);
        int ctOff = headerOff + header.headerLength();
        int ctLen = header.length() + FrameCodec.TAG_LENGTH;
        if (tryOpen(current, aad, buf, ctOff, ctLen, out)) {
            current.counter++;
            if (header.type() == FrameType.KEY_UPDATE) {
                advance();
            }
            return Outcome.ACCEPTED;
        }
        if (previous != null) {
            if (tryOpen(previous, aad, buf, ctOff, ctLen, out)) {
                previous.counter++;
                dropped++;
                Arrays.fill(out, 0, header.length(), (byte) 0);
                if (header.type() == FrameType.KEY_UPDATE) {
                    previous.destroy();
                    previous = null;
                }
                return Outcome.DROPPED_OLD_KEY;
            }
            throw new AuthenticationFailedException("HTX frame failed authentication under the current and the previous key");
        }
        Generation next = new Generation(KeySchedule.nextKey(current.key, transcriptHash));
        if (tryOpen(next, aad, buf, ctOff, ctLen, out)) {
            next.counter = 1;
            previous = current;
            current = next;
            generation++;
            if (header.type() == FrameType.KEY_UPDATE) {
                advance();
            }
            return Outcome.ACCEPTED;
        }
        next.destroy();
        throw new AuthenticationFailedException("HTX frame failed authentication");
    }

    private boolean tryOpen(Generation g, byte[] aad, byte[] buf, int ctOff, int ctLen, byte[] out) {
        KeySchedule.nonce(g.ns, g.counter, nonce);
        try {
            g.aead.open(nonce, aad, buf, ctOff, ctLen, out, 0);
            return true;
        } catch (AuthenticationFailedException e) {
            return false;
        }
    }

    private void advance() {
        Generation next = new Generation(KeySchedule.nextKey(current.key, transcriptHash));
        if (previous != null) {
            previous.destroy();
            previous = null;
        }
        current.destroy();
        current = next;
        generation++;
    }

    public long generation() {
        return generation;
    }

    public long droppedOldKeyFrames() {
        return dropped;
    }

    @Override
    public void close() {
        if (current != null) {
            current.destroy();
            current = null;
        }
        if (previous != null) {
            previous.destroy();
            previous = null;
        }
    }
}
