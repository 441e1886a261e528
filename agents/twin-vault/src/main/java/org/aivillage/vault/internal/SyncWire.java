package org.aivillage.vault.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;

/**
 * Wire format of vault sync: length-prefixed frames (u32 big-endian, at most {@link #MAX_FRAME}),
 * CBOR handshake messages in the clear, then every message sealed with ChaCha20-Poly1305 under a
 * per-direction key and a 64-bit frame counter as nonce.
 *
 * <pre>
 * msg = [0, [[change id, owner]...], more]   HAVE: changes the sender holds and may share
 *     | [1, [change id...], more]            WANT: changes the sender asks for
 *     | [2, [COSE_Sign1 change...], more]    CHANGES: signed changes
 *     | [3]                                  DONE
 *     | [4, reason]                          ERROR
 * </pre>
 */
public final class SyncWire {
    public static final String PROTOCOL = "twin-vault-sync/1";
    public static final int MAX_FRAME = 40 << 20;
    /** Entries per HAVE/WANT message; lists longer than that continue with more = true. */
    public static final int MAX_LIST = 16384;

    private SyncWire() {}

    /** A sync message. */
    public sealed interface Msg {}

    public record HaveEntry(byte[] changeId, String owner) {}

    public record Have(List<HaveEntry> entries, boolean more) implements Msg {}

    public record Want(List<byte[]> ids, boolean more) implements Msg {}

    public record Changes(List<byte[]> signed, boolean more) implements Msg {}

    public record Done() implements Msg {}

    public record Error(String reason) implements Msg {}

    public static byte[] encode(Msg m) {
        CborValue v = switch (m) {
            case Have h -> {
                List<CborValue> items = new ArrayList<>(h.entries().size());
                h.entries().forEach(e -> items.add(CborValue.array(CborValue.of(e.changeId()), CborValue.of(e.owner()))));
                yield CborValue.array(CborValue.of(0), CborValue.array(items), CborValue.of(h.more()));
            }
            case Want w -> {
                List<CborValue> items = new ArrayList<>(w.ids().size());
                w.ids().forEach(id -> items.add(CborValue.of(id)));
                yield CborValue.array(CborValue.of(1), CborValue.array(items), CborValue.of(w.more()));
            }
            case Changes c -> {
                List<CborValue> items = new ArrayList<>(c.signed().size());
                c.signed().forEach(b -> items.add(CborValue.of(b)));
                yield CborValue.array(CborValue.of(2), CborValue.array(items), CborValue.of(c.more()));
            }
            case Done d -> CborValue.array(CborValue.of(3));
            case Error e -> CborValue.array(CborValue.of(4), CborValue.of(e.reason()));
        };
        return Cbor.encode(v);
    }

    public static Msg decode(byte[] bytes) throws CodecException {
        if (!(Cbor.decode(bytes) instanceof CborValue.Array a) || a.size() == 0
                || !(a.get(0) instanceof CborValue.UnsignedInt type) || type.bits() < 0 || type.bits() > 4) {
            throw new CodecException("sync.msg", 0, "expected [type, ...] with type 0..4");
        }
        int t = (int) type.bits();
        int expected = switch (t) {
            case 0, 1, 2 -> 3;
            case 3 -> 1;
            default -> 2;
        };
        if (a.size() != expected) {
            throw new CodecException("sync.msg", 0, "message type " + t + " needs " + expected + " items");
        }
        if (t == 3) {
            return new Done();
        }
        if (t == 4) {
            if (!(a.get(1) instanceof CborValue.TextString s)) {
                throw new CodecException("sync.error", 0, "expected a text reason");
            }
            return new Error(s.text());
        }
        if (!(a.get(1) instanceof CborValue.Array list) || list.size() > MAX_LIST) {
            throw new CodecException("sync.list", 0, "expected an array of at most " + MAX_LIST + " items");
        }
        boolean more;
        if (CborValue.TRUE.equals(a.get(2))) {
            more = true;
        } else if (CborValue.FALSE.equals(a.get(2))) {
            more = false;
        } else {
            throw new CodecException("sync.more", 0, "expected a boolean");
        }
        switch (t) {
            case 0 -> {
                List<HaveEntry> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof CborValue.Array e) || e.size() != 2
                            || !(e.get(0) instanceof CborValue.ByteString id) || id.length() != Change.ID_LENGTH
                            || !(e.get(1) instanceof CborValue.TextString owner)) {
                        throw new CodecException("sync.have[" + i + "]", 0, "expected [16-byte id, owner]");
                    }
                    out.add(new HaveEntry(id.bytes(), owner.text()));
                }
                return new Have(out, more);
            }
            case 1 -> {
                List<byte[]> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof CborValue.ByteString id) || id.length() != Change.ID_LENGTH) {
                        throw new CodecException("sync.want[" + i + "]", 0, "expected a 16-byte id");
                    }
                    out.add(id.bytes());
                }
                return new Want(out, more);
            }
            default -> {
                List<byte[]> out = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof CborValue.ByteString b)) {
                        throw new CodecException("sync.changes[" + i + "]", 0, "expected a byte string");
                    }
                    out.add(b.bytes());
                }
                return new Changes(out, more);
            }
        }
    }

    public static void writeFrame(DataOutputStream out, byte[] payload) throws IOException {
        if (payload.length > MAX_FRAME) {
            throw new IOException("frame of " + payload.length + " bytes exceeds " + MAX_FRAME);
        }
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    public static byte[] readFrame(DataInputStream in) throws IOException {
        int len;
        try {
            len = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("peer closed the connection");
        }
        if (len < 0 || len > MAX_FRAME) {
            throw new IOException("peer sent a frame of " + Integer.toUnsignedString(len) + " bytes (limit " + MAX_FRAME + ")");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    /** The encrypted message channel after the handshake. Not thread-safe (one session, lockstep). */
    public static final class Channel implements AutoCloseable {
        private final DataInputStream in;
        private final DataOutputStream out;
        private final Aead sendAead;
        private final Aead recvAead;
        private long sendCounter;
        private long recvCounter;

        public Channel(DataInputStream in, DataOutputStream out, byte[] sendKey, byte[] recvKey) {
            this.in = in;
            this.out = out;
            this.sendAead = Aead.chaCha20Poly1305(sendKey);
            this.recvAead = Aead.chaCha20Poly1305(recvKey);
        }

        public void send(Msg m) throws IOException {
            byte[] pt = encode(m);
            writeFrame(out, sendAead.seal(nonce(sendCounter++), new byte[0], pt));
        }

        public Msg receive() throws IOException, CodecException {
            byte[] ct = readFrame(in);
            byte[] pt;
            try {
                pt = recvAead.open(nonce(recvCounter++), new byte[0], ct);
            } catch (AuthenticationFailedException e) {
                throw new IOException("sync frame failed authentication");
            }
            return decode(pt);
        }

        private static byte[] nonce(long counter) {
            return ByteBuffer.allocate(12).putInt(0).putLong(counter).array();
        }

        @Override
        public void close() {
            sendAead.destroy();
            recvAead.destroy();
        }
    }
}
