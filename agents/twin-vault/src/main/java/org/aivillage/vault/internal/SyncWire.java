package org.aivillage.vault.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.NoiseProtocol;
import org.aivillage.betanet.noise.TransportState;

/**
 * Wire format of vault sync: a {@value #NOISE} handshake over the devices' X25519 static keys
 * (prologue {@value #PROTOCOL}), then sync messages carried in Noise transport messages
 * ({@link Channel}). Every Noise message travels as {@code u16 length || message}.
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
    public static final String PROTOCOL = "twin-vault-sync/2";
    public static final String NOISE = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** Largest sync message (reassembled from transport fragments). */
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

    /** Writes one Noise message as {@code u16 length || message}. */
    public static void writeNoise(DataOutputStream out, byte[] message) throws IOException {
        if (message.length > NoiseProtocol.MAX_MESSAGE_LENGTH) {
            throw new IOException("Noise message of " + message.length + " bytes exceeds " + NoiseProtocol.MAX_MESSAGE_LENGTH);
        }
        out.writeShort(message.length);
        out.write(message);
    }

    /** Reads one {@code u16 length || message} frame. */
    public static byte[] readNoise(DataInputStream in) throws IOException {
        int len;
        try {
            len = in.readUnsignedShort();
        } catch (EOFException e) {
            throw new EOFException("peer closed the connection");
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    /**
     * The message channel after the Noise handshake: each sync message is split into Noise
     * transport messages whose plaintext is {@code more (1 byte: 1 = another fragment follows,
     * 0 = last) || fragment}; the transport's counter nonces make a dropped, repeated or reordered
     * fragment fail authentication. A message is at most {@link #MAX_FRAME} bytes. Not thread-safe
     * (one session, lockstep).
     */
    public static final class Channel implements AutoCloseable {
        /** Fragment bytes per transport message (the Noise payload limit minus the flag byte). */
        public static final int FRAGMENT = TransportState.MAX_PAYLOAD_LENGTH - 1;

        private final DataInputStream in;
        private final DataOutputStream out;
        private final TransportState transport;
        private long received;

        public Channel(DataInputStream in, DataOutputStream out, TransportState transport) {
            this.in = in;
            this.out = out;
            this.transport = transport;
        }

        public void send(Msg m) throws IOException {
            byte[] pt = encode(m);
            if (pt.length > MAX_FRAME) {
                throw new IOException("sync message of " + pt.length + " bytes exceeds " + MAX_FRAME);
            }
            int off = 0;
            do {
                int n = Math.min(FRAGMENT, pt.length - off);
                byte[] fragment = new byte[1 + n];
                fragment[0] = (byte) (off + n < pt.length ? 1 : 0);
                System.arraycopy(pt, off, fragment, 1, n);
                try {
                    writeNoise(out, transport.writeMessage(fragment));
                } catch (NoiseException e) {
                    throw new IOException("cannot encrypt a sync message: " + e.getMessage(), e);
                }
                off += n;
            } while (off < pt.length);
            out.flush();
        }

        /**
         * The next message.
         *
         * @throws IOException connection closed, or a transport message that fails authentication
         *     (the message says so; nothing of it is returned)
         * @throws CodecException the authenticated plaintext is not a sync message
         */
        public Msg receive() throws IOException, CodecException {
            java.io.ByteArrayOutputStream msg = null;
            while (true) {
                byte[] ct = readNoise(in);
                long index = ++received;
                byte[] pt;
                try {
                    pt = transport.readMessage(ct);
                } catch (NoiseException e) {
                    throw new IOException("transport message " + index + " from the peer failed authentication"
                            + " (tampered with or corrupted in transit); session aborted, nothing of it was used");
                }
                if (pt.length < 1 || (pt[0] != 0 && pt[0] != 1)) {
                    throw new CodecException("sync.fragment", 0, "expected a 0/1 continuation flag");
                }
                if (pt[0] == 0 && msg == null) {
                    return decode(java.util.Arrays.copyOfRange(pt, 1, pt.length));
                }
                if (msg == null) {
                    msg = new java.io.ByteArrayOutputStream(2 * FRAGMENT);
                }
                if ((long) msg.size() + pt.length - 1 > MAX_FRAME) {
                    throw new IOException("peer sent a sync message over " + MAX_FRAME + " bytes");
                }
                msg.write(pt, 1, pt.length - 1);
                if (pt[0] == 0) {
                    return decode(msg.toByteArray());
                }
            }
        }

        /** The Noise handshake hash (equal on both sides). */
        public byte[] handshakeHash() {
            return transport.handshakeHash();
        }

        @Override
        public void close() {
            transport.close();
        }
    }
}
