package org.aivillage.betanet.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.SphinxException;
import org.aivillage.betanet.mixnode.Surb;

/**
 * The end-to-end messages between a client and a gateway, carried in the {@link Sphinx#MESSAGE_LENGTH}
 * bytes of a Sphinx message (zero-padded). Requests are split into fragments that each carry one
 * SURB; the gateway acknowledges fragments and answers through SURBs, asks for more SURBs when a
 * response needs them, and resends response fragments on request.
 *
 * <pre>
 * RequestFragment  1 | msgId 16 | index u16 | count u16 | svcLen u8 | service (svcLen) | SURB 518 | len u16 | data
 * ResponseFragment 2 | msgId 16 | index u16 | count u16 | status u8 | needSurbs u16 | len u16 | data
 * Ack              3 | msgId 16 | count u16 | bitmap ceil(count/8)
 * SurbSupply       4 | msgId 16 | n u8 (1..2) | SURB 518 * n
 * Resend           5 | msgId 16 | count u16 | bitmap ceil(count/8) | SURB 518
 * </pre>
 */
public sealed interface MixMessage {
    int MAX_SERVICE = 32;
    int MAX_FRAGMENTS = 128;
    /** Request data bytes per fragment (room kept for the longest service name). */
    int REQUEST_DATA = Sphinx.MESSAGE_LENGTH - (1 + 16 + 4 + 1 + MAX_SERVICE + Surb.LENGTH + 2);
    int RESPONSE_DATA = Sphinx.MESSAGE_LENGTH - (1 + 16 + 4 + 1 + 2 + 2);
    int MAX_SUPPLY = 2;

    /** Response status codes. */
    int OK = 0;
    int UNKNOWN_SERVICE = 1;
    int SERVICE_ERROR = 2;
    int TOO_LARGE = 3;

    byte[] msgId();

    byte[] encode();

    record RequestFragment(byte[] msgId, int index, int count, String service, Surb surb, byte[] data) implements MixMessage {
        public RequestFragment {
            checkFragment(index, count);
            byte[] svc = service.getBytes(StandardCharsets.UTF_8);
            if (svc.length == 0 || svc.length > MAX_SERVICE || data.length > REQUEST_DATA) {
                throw new IllegalArgumentException("service name 1..32 bytes, data at most " + REQUEST_DATA);
            }
        }

        @Override
        public byte[] encode() {
            byte[] svc = service.getBytes(StandardCharsets.UTF_8);
            W w = new W(1, msgId);
            w.u16(index).u16(count).u8(svc.length).bytes(svc).bytes(surb.encode()).u16(data.length).bytes(data);
            return w.done();
        }
    }

    record ResponseFragment(byte[] msgId, int index, int count, int status, int needSurbs, byte[] data) implements MixMessage {
        public ResponseFragment {
            checkFragment(index, count);
            if (data.length > RESPONSE_DATA || status < 0 || status > 255 || needSurbs < 0 || needSurbs > 0xffff) {
                throw new IllegalArgumentException("malformed response fragment");
            }
        }

        @Override
        public byte[] encode() {
            return new W(2, msgId).u16(index).u16(count).u8(status).u16(needSurbs).u16(data.length).bytes(data).done();
        }
    }

    record Ack(byte[] msgId, int count, BitSet received) implements MixMessage {
        public Ack {
            checkFragment(0, count);
        }

        @Override
        public byte[] encode() {
            return new W(3, msgId).u16(count).bytes(bitmap(received, count)).done();
        }
    }

    record SurbSupply(byte[] msgId, List<Surb> surbs) implements MixMessage {
        public SurbSupply {
            if (surbs.isEmpty() || surbs.size() > MAX_SUPPLY) {
                throw new IllegalArgumentException("1.." + MAX_SUPPLY + " SURBs per supply");
            }
            surbs = List.copyOf(surbs);
        }

        @Override
        public byte[] encode() {
            W w = new W(4, msgId).u8(surbs.size());
            for (Surb s : surbs) {
                w.bytes(s.encode());
            }
            return w.done();
        }
    }

    record Resend(byte[] msgId, int count, BitSet missing, Surb surb) implements MixMessage {
        public Resend {
            checkFragment(0, count);
        }

        @Override
        public byte[] encode() {
            return new W(5, msgId).u16(count).bytes(bitmap(missing, count)).bytes(surb.encode()).done();
        }
    }

    private static void checkFragment(int index, int count) {
        if (count < 1 || count > MAX_FRAGMENTS || index < 0 || index >= count) {
            throw new IllegalArgumentException("fragment " + index + " of " + count + " out of range (max " + MAX_FRAGMENTS + ")");
        }
    }

    private static byte[] bitmap(BitSet b, int count) {
        byte[] out = new byte[(count + 7) / 8];
        for (int i = b.nextSetBit(0); i >= 0 && i < count; i = b.nextSetBit(i + 1)) {
            out[i / 8] |= (byte) (1 << (i % 8));
        }
        return out;
    }

    /** Parses a message from the start of a Sphinx message body (trailing zero padding is ignored). */
    static MixMessage decode(byte[] in) throws MessageFormatException {
        R r = new R(in);
        int type = r.u8("type");
        byte[] msgId = r.take(16, "msgId");
        try {
            switch (type) {
                case 1 -> {
                    int index = r.u16("index");
                    int count = r.u16("count");
                    r.fragment(index, count);
                    int svcLen = r.u8("svcLen");
                    if (svcLen == 0 || svcLen > MAX_SERVICE) {
                        throw new MessageFormatException("svcLen", r.pos - 1, "service name must be 1..32 bytes");
                    }
                    String svc = new String(r.take(svcLen, "service"), StandardCharsets.UTF_8);
                    Surb surb = Surb.decode(r.take(Surb.LENGTH, "surb"), 0);
                    int len = r.u16("len");
                    if (len > REQUEST_DATA) {
                        throw new MessageFormatException("len", r.pos - 2, "request data longer than " + REQUEST_DATA);
                    }
                    return new RequestFragment(msgId, index, count, svc, surb, r.take(len, "data"));
                }
                case 2 -> {
                    int index = r.u16("index");
                    int count = r.u16("count");
                    r.fragment(index, count);
                    int status = r.u8("status");
                    int need = r.u16("needSurbs");
                    int len = r.u16("len");
                    if (len > RESPONSE_DATA) {
                        throw new MessageFormatException("len", r.pos - 2, "response data longer than " + RESPONSE_DATA);
                    }
                    return new ResponseFragment(msgId, index, count, status, need, r.take(len, "data"));
                }
                case 3 -> {
                    int count = r.u16("count");
                    r.fragment(0, count);
                    return new Ack(msgId, count, BitSet.valueOf(r.take((count + 7) / 8, "bitmap")));
                }
                case 4 -> {
                    int n = r.u8("n");
                    if (n < 1 || n > MAX_SUPPLY) {
                        throw new MessageFormatException("n", r.pos - 1, "1.." + MAX_SUPPLY + " SURBs");
                    }
                    List<Surb> surbs = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        surbs.add(Surb.decode(r.take(Surb.LENGTH, "surb"), 0));
                    }
                    return new SurbSupply(msgId, surbs);
                }
                case 5 -> {
                    int count = r.u16("count");
                    r.fragment(0, count);
                    BitSet missing = BitSet.valueOf(r.take((count + 7) / 8, "bitmap"));
                    return new Resend(msgId, count, missing, Surb.decode(r.take(Surb.LENGTH, "surb"), 0));
                }
                default -> throw new MessageFormatException("type", 0, "unknown message type " + type);
            }
        } catch (SphinxException e) {
            throw new MessageFormatException("surb", r.pos - Surb.LENGTH, e.getMessage());
        }
    }

    final class W {
        private final byte[] b = new byte[Sphinx.MESSAGE_LENGTH];
        private int pos;

        W(int type, byte[] msgId) {
            if (msgId.length != 16) {
                throw new IllegalArgumentException("msgId must be 16 bytes");
            }
            u8(type);
            bytes(msgId);
        }

        W u8(int v) {
            b[pos++] = (byte) v;
            return this;
        }

        W u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        W bytes(byte[] v) {
            System.arraycopy(v, 0, b, pos, v.length);
            pos += v.length;
            return this;
        }

        byte[] done() {
            return Arrays.copyOf(b, pos);
        }
    }

    final class R {
        private final byte[] d;
        int pos;

        R(byte[] d) throws MessageFormatException {
            if (d == null) {
                throw new MessageFormatException("message", 0, "missing");
            }
            this.d = d;
        }

        byte[] take(int n, String f) throws MessageFormatException {
            if (d.length - pos < n) {
                throw new MessageFormatException(f, pos, "truncated");
            }
            byte[] out = Arrays.copyOfRange(d, pos, pos + n);
            pos += n;
            return out;
        }

        int u8(String f) throws MessageFormatException {
            return take(1, f)[0] & 0xff;
        }

        int u16(String f) throws MessageFormatException {
            byte[] x = take(2, f);
            return ((x[0] & 0xff) << 8) | (x[1] & 0xff);
        }

        void fragment(int index, int count) throws MessageFormatException {
            if (count < 1 || count > MAX_FRAGMENTS || index >= count) {
                throw new MessageFormatException("count", pos - 2, "fragment " + index + " of " + count + " out of range");
            }
        }
    }
}
