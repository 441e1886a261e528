package org.aivillage.betanet.mixnode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.crypto.Ed25519;

/**
 * The signed wire forms of the directory: a topology signed by the directory authority, and a node
 * descriptor signed by the node's own identity key. Big-endian integers; the Ed25519 signature (64
 * bytes) covers every byte before it.
 *
 * <pre>
 * topology   = "BNT1" | serial u64 | issuedAt u64 (unix ms) | validUntil u64 | epochSeconds u32
 *              | nodeCount u16 | node* | signature
 * descriptor = "BND1" | issuedAt u64 | node | signature (by node.identityKey)
 * node       = role u8 | layer u8 | asGroup u32 | identityKey 32 | addrLen u8 | addr (UTF-8)
 *              | keyCount u8 | (epoch u64 | sphinxPublicKey 32)*
 * </pre>
 */
public final class TopologyCodec {
    private static final byte[] TOPOLOGY_MAGIC = "BNT1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DESCRIPTOR_MAGIC = "BND1".getBytes(StandardCharsets.US_ASCII);
    /** Upper bound of any document; bigger inputs are refused before parsing. */
    public static final int MAX_DOCUMENT = 1 << 20;

    /** A node's signed self-description, as the directory receives it. */
    public record Descriptor(Instant issuedAt, TopologyNode node) {}

    private TopologyCodec() {}

    public static byte[] signTopology(Topology t, byte[] authorityPrivateKey) {
        Out o = new Out();
        o.bytes(TOPOLOGY_MAGIC);
        o.u64(t.serial());
        o.u64(t.issuedAt().toEpochMilli());
        o.u64(t.validUntil().toEpochMilli());
        o.u32(t.keyEpochLength().toSeconds());
        o.u16(t.nodes().size());
        for (TopologyNode n : t.nodes()) {
            writeNode(o, n);
        }
        return o.signed(authorityPrivateKey);
    }

    public static byte[] signDescriptor(Descriptor d, byte[] identityPrivateKey) {
        Out o = new Out();
        o.bytes(DESCRIPTOR_MAGIC);
        o.u64(d.issuedAt().toEpochMilli());
        writeNode(o, d.node());
        return o.signed(identityPrivateKey);
    }

    /**
     * Parses and verifies a topology: the signature must be the authority's and the document fresh
     * at {@code now}. Unsigned, wrongly signed, malformed and stale documents are refused.
     */
    public static Topology verifyTopology(byte[] doc, byte[] authorityPublicKey, Instant now) throws TopologyException {
        Topology t = parseTopology(doc, authorityPublicKey);
        if (now.isAfter(t.validUntil())) {
            throw new TopologyException("validUntil", 16, "topology is stale (valid until " + t.validUntil() + ")");
        }
        if (t.issuedAt().isAfter(now.plusSeconds(300))) {
            throw new TopologyException("issuedAt", 12, "topology issued in the future (" + t.issuedAt() + ")");
        }
        return t;
    }

    /** Parses and verifies the signature only (no freshness check). */
    public static Topology parseTopology(byte[] doc, byte[] authorityPublicKey) throws TopologyException {
        In in = new In(doc, TOPOLOGY_MAGIC, "topology");
        long serial = in.u64("serial");
        Instant issued = in.instant("issuedAt");
        Instant until = in.instant("validUntil");
        long epochSeconds = in.u32("epochSeconds");
        if (epochSeconds < 1) {
            throw new TopologyException("epochSeconds", in.pos - 4, "must be >= 1");
        }
        int count = in.u16("nodeCount");
        List<TopologyNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(readNode(in, "node[" + i + "]"));
        }
        in.verify(authorityPublicKey, "signature");
        return new Topology(serial, issued, until, Duration.ofSeconds(epochSeconds), nodes);
    }

    /** Parses a descriptor and verifies it is signed by the identity key it describes. */
    public static Descriptor verifyDescriptor(byte[] doc) throws TopologyException {
        In in = new In(doc, DESCRIPTOR_MAGIC, "descriptor");
        Instant issued = in.instant("issuedAt");
        TopologyNode node = readNode(in, "node");
        in.verify(node.identityKey(), "signature");
        return new Descriptor(issued, node);
    }

    private static void writeNode(Out o, TopologyNode n) {
        o.u8(n.role().code);
        o.u8(n.layer());
        o.u32(n.asGroup() & 0xffffffffL);
        o.bytes(n.identityKey());
        byte[] addr = n.address().getBytes(StandardCharsets.UTF_8);
        o.u8(addr.length);
        o.bytes(addr);
        o.u8(n.sphinxKeys().size());
        for (TopologyNode.EpochKey k : n.sphinxKeys()) {
            o.u64(k.epoch());
            o.bytes(k.publicKey());
        }
    }

    private static TopologyNode readNode(In in, String f) throws TopologyException {
        int at = in.pos;
        TopologyNode.Role role = TopologyNode.Role.of(in.u8(f + ".role"));
        if (role == null) {
            throw new TopologyException(f + ".role", at, "unknown role");
        }
        int layer = in.u8(f + ".layer");
        int as = (int) in.u32(f + ".asGroup");
        byte[] id = in.take(32, f + ".identityKey");
        int addrLen = in.u8(f + ".addrLen");
        if (addrLen == 0) {
            throw new TopologyException(f + ".addrLen", in.pos - 1, "empty address");
        }
        String addr = new String(in.take(addrLen, f + ".addr"), StandardCharsets.UTF_8);
        int keys = in.u8(f + ".keyCount");
        if (keys > 16) {
            throw new TopologyException(f + ".keyCount", in.pos - 1, "more than 16 keys");
        }
        List<TopologyNode.EpochKey> list = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            long epoch = in.u64(f + ".key.epoch");
            list.add(new TopologyNode.EpochKey(epoch, in.take(32, f + ".key.publicKey")));
        }
        return new TopologyNode(role, id, addr, layer, as, list);
    }

    private static final class Out {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        void bytes(byte[] v) {
            b.writeBytes(v);
        }

        void u8(int v) {
            b.write(v);
        }

        void u16(int v) {
            u8(v >>> 8);
            u8(v);
        }

        void u32(long v) {
            for (int s = 24; s >= 0; s -= 8) {
                u8((int) (v >>> s));
            }
        }

        void u64(long v) {
            for (int s = 56; s >= 0; s -= 8) {
                u8((int) (v >>> s));
            }
        }

        byte[] signed(byte[] key) {
            byte[] body = b.toByteArray();
            byte[] sig = Ed25519.sign(key, body);
            byte[] out = Arrays.copyOf(body, body.length + sig.length);
            System.arraycopy(sig, 0, out, body.length, sig.length);
            return out;
        }
    }

    private static final class In {
        final byte[] d;
        int pos;

        In(byte[] d, byte[] magic, String what) throws TopologyException {
            if (d == null || d.length > MAX_DOCUMENT) {
                throw new TopologyException(what, 0, "missing or larger than " + MAX_DOCUMENT + " bytes");
            }
            this.d = d;
            byte[] m = take(4, "magic");
            if (!Arrays.equals(m, magic)) {
                throw new TopologyException("magic", 0, "not a " + what + " document");
            }
        }

        byte[] take(int n, String f) throws TopologyException {
            if (d.length - Ed25519.SIGNATURE_LENGTH - pos < n) {
                throw new TopologyException(f, pos, "truncated (or unsigned) document");
            }
            byte[] out = Arrays.copyOfRange(d, pos, pos + n);
            pos += n;
            return out;
        }

        int u8(String f) throws TopologyException {
            return take(1, f)[0] & 0xff;
        }

        int u16(String f) throws TopologyException {
            byte[] b = take(2, f);
            return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        }

        long u32(String f) throws TopologyException {
            byte[] b = take(4, f);
            return ((long) (b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        }

        long u64(String f) throws TopologyException {
            byte[] b = take(8, f);
            long v = 0;
            for (byte x : b) {
                v = (v << 8) | (x & 0xff);
            }
            return v;
        }

        Instant instant(String f) throws TopologyException {
            int at = pos;
            long ms = u64(f);
            if (ms < 0 || ms > 253402300799000L) {
                throw new TopologyException(f, at, "timestamp out of range");
            }
            return Instant.ofEpochMilli(ms);
        }

        void verify(byte[] publicKey, String f) throws TopologyException {
            if (d.length - pos != Ed25519.SIGNATURE_LENGTH) {
                throw new TopologyException(f, pos, "expected exactly one 64-byte signature after the body");
            }
            byte[] body = Arrays.copyOf(d, pos);
            byte[] sig = Arrays.copyOfRange(d, pos, d.length);
            if (!Ed25519.verify(publicKey, body, sig)) {
                throw new TopologyException(f, pos, "bad signature");
            }
        }
    }
}
