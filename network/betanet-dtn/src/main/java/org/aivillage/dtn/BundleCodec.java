package org.aivillage.dtn;

import java.util.ArrayList;
import java.util.List;
import org.aivillage.betanet.codec.CborEncoder;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.internal.BlockCrc;
import org.aivillage.dtn.internal.CborOut;
import org.aivillage.dtn.internal.Cursor;
import org.aivillage.dtn.internal.ExtensionBlocks;

/**
 * Encodes and decodes BPv7 bundles (RFC 9171 section 4.3): a CBOR indefinite-length array of the
 * primary block and the canonical blocks, each block a definite-length array whose optional CRC
 * (CRC-16/X.25 or CRC-32C) is computed over the block's encoding with the CRC bytes zeroed.
 *
 * <p>{@link #decode} is a pure function that returns a bundle or throws {@link CodecException}
 * naming the field and the byte offset; it never throws anything else for any input. It accepts
 * a primary block without a CRC and a creation time of zero without a bundle age block (the RFC
 * 9173 examples are such bundles); everything else RFC 9171 requires of a bundle's structure is
 * enforced, including CRC values, unique block numbers, one payload block last, one previous node,
 * bundle age and hop count block at most, well-formed extension block data and, for a null
 * source, no status report requests and the must-not-fragment flag.
 */
public final class BundleCodec {
    private BundleCodec() {}

    /** Upper bound on blocks per bundle accepted by the decoder. */
    public static final int MAX_BLOCKS = 256;

    public static byte[] encode(Bundle bundle) {
        int size = 64;
        for (CanonicalBlock b : bundle.blocks()) {
            size += b.data().length + 24;
        }
        CborEncoder e = new CborEncoder(false);
        e.writeRaw(new byte[] {(byte) 0x9f});
        e.writeRaw(encodePrimary(bundle.primary()));
        for (CanonicalBlock b : bundle.blocks()) {
            e.writeRaw(encodeBlock(b));
        }
        e.writeRaw(new byte[] {(byte) 0xff});
        return e.toByteArray();
    }

    /** The encoding of the primary block alone, CRC included. */
    public static byte[] encodePrimary(PrimaryBlock p) {
        CborEncoder e = new CborEncoder(false);
        int n = 8 + (p.isFragment() ? 2 : 0) + (p.crcType() != CrcType.NONE ? 1 : 0);
        CborOut.array(e, n);
        CborOut.uint(e, PrimaryBlock.VERSION);
        CborOut.uint(e, p.flags());
        CborOut.uint(e, p.crcType().code());
        CborOut.eid(e, p.destination());
        CborOut.eid(e, p.source());
        CborOut.eid(e, p.reportTo());
        CborOut.array(e, 2);
        CborOut.uint(e, p.creationTimestamp().dtnTimeMillis());
        CborOut.uint(e, p.creationTimestamp().sequence());
        CborOut.uint(e, p.lifetimeMillis());
        if (p.isFragment()) {
            CborOut.uint(e, p.fragmentOffset());
            CborOut.uint(e, p.totalAduLength());
        }
        return withCrc(e, p.crcType());
    }

    /** The encoding of one canonical block, CRC included. */
    public static byte[] encodeBlock(CanonicalBlock b) {
        CborEncoder e = new CborEncoder(false);
        CborOut.array(e, b.crcType() != CrcType.NONE ? 6 : 5);
        CborOut.uint(e, b.type());
        CborOut.uint(e, b.number());
        CborOut.uint(e, b.flags());
        CborOut.uint(e, b.crcType().code());
        CborOut.bytes(e, b.data());
        return withCrc(e, b.crcType());
    }

    private static byte[] withCrc(CborEncoder e, CrcType type) {
        if (type == CrcType.NONE) {
            return e.toByteArray();
        }
        CborOut.bytes(e, new byte[type.length()]);
        byte[] out = e.toByteArray();
        BlockCrc.patch(type, BlockCrc.compute(type, out, 0, out.length), out, out.length);
        return out;
    }

    public static Bundle decode(byte[] in) throws CodecException {
        return decode(in, 0, in.length);
    }

    /** Decodes one bundle occupying exactly {@code in[offset, offset+length)}. */
    public static Bundle decode(byte[] in, int offset, int length) throws CodecException {
        if (offset < 0 || length < 0 || offset + length > in.length) {
            throw new CodecException("bundle", offset, "range outside the input");
        }
        Cursor c = new Cursor(in, offset, offset + length);
        if (c.peek() != 0x9f) {
            throw c.error("bundle", offset, "a bundle is an indefinite-length CBOR array (0x9f)");
        }
        c.skipByte();
        PrimaryBlock primary = decodePrimary(c);
        List<CanonicalBlock> blocks = new ArrayList<>();
        boolean payloadSeen = false;
        int ages = 0;
        int hops = 0;
        int prevs = 0;
        while (true) {
            int at = c.position();
            int next = c.peek();
            if (next < 0) {
                throw c.error("bundle", at, "missing the break (0xff) that ends the bundle");
            }
            if (next == 0xff) {
                c.skipByteRaw();
                break;
            }
            if (payloadSeen) {
                throw c.error("block", at, "block after the payload block");
            }
            if (blocks.size() >= MAX_BLOCKS) {
                throw c.error("block", at, "more than " + MAX_BLOCKS + " blocks");
            }
            CanonicalBlock b = decodeBlock(c);
            for (CanonicalBlock prior : blocks) {
                if (prior.number() == b.number()) {
                    throw c.error("block.number", at, "duplicate block number " + b.number());
                }
            }
            switch (b.type()) {
                case BlockType.PAYLOAD -> payloadSeen = true;
                case BlockType.BUNDLE_AGE -> {
                    ages++;
                    ExtensionBlocks.parseBundleAge(b.data());
                }
                case BlockType.HOP_COUNT -> {
                    hops++;
                    ExtensionBlocks.parseHopCount(b.data());
                }
                case BlockType.PREVIOUS_NODE -> {
                    prevs++;
                    ExtensionBlocks.parsePreviousNode(b.data());
                }
                default -> {}
            }
            if (ages > 1 || hops > 1 || prevs > 1) {
                throw c.error("block.type", at, "more than one block of type " + b.type());
            }
            blocks.add(b);
        }
        if (!payloadSeen) {
            throw c.error("bundle", c.position(), "no payload block");
        }
        if (!c.atEnd()) {
            throw c.error("bundle", c.position(), "trailing bytes after the bundle");
        }
        if (primary.isFragment()
                && primary.fragmentOffset() + blocks.getLast().data().length > primary.totalAduLength()) {
            throw c.error("primary.fragment", offset, "fragment extends past the total ADU length");
        }
        return new Bundle(primary, blocks);
    }

    /** Decodes only the primary block at the start of an encoded bundle (cheap peek at identity and routing fields). */
    public static PrimaryBlock decodePrimaryOnly(byte[] in) throws CodecException {
        Cursor c = new Cursor(in);
        if (c.peek() != 0x9f) {
            throw c.error("bundle", 0, "a bundle is an indefinite-length CBOR array (0x9f)");
        }
        c.skipByte();
        return decodePrimary(c);
    }

    private static PrimaryBlock decodePrimary(Cursor c) throws CodecException {
        int start = c.position();
        int n = c.arrayHead("primary");
        if (n < 8 || n > 11) {
            throw c.error("primary", start, "primary block has " + n + " items, expected 8 to 11");
        }
        int vAt = c.position();
        long version = c.uint("primary.version");
        if (version != PrimaryBlock.VERSION) {
            throw c.error("primary.version", vAt, "bundle protocol version " + version + ", expected 7");
        }
        long flags = c.uint("primary.flags");
        int crcAt = c.position();
        CrcType crc = CrcType.of(c.uint("primary.crcType"));
        if (crc == null) {
            throw c.error("primary.crcType", crcAt, "unknown CRC type");
        }
        boolean fragment = (flags & BundleFlags.IS_FRAGMENT) != 0;
        int expected = 8 + (fragment ? 2 : 0) + (crc != CrcType.NONE ? 1 : 0);
        if (n != expected) {
            throw c.error("primary", start, "primary block has " + n + " items, flags and CRC type require " + expected);
        }
        EndpointId dest = c.eid("primary.destination");
        int srcAt = c.position();
        EndpointId src = c.eid("primary.source");
        EndpointId reportTo = c.eid("primary.reportTo");
        int tsAt = c.position();
        if (c.arrayHead("primary.creationTimestamp") != 2) {
            throw c.error("primary.creationTimestamp", tsAt, "creation timestamp is [time, sequence]");
        }
        long time = c.uint("primary.creationTimestamp.time");
        long seq = c.uint("primary.creationTimestamp.sequence");
        long lifetime = c.uint("primary.lifetime");
        long fragOffset = 0;
        long totalAdu = 0;
        if (fragment) {
            fragOffset = c.uint("primary.fragmentOffset");
            totalAdu = c.uint("primary.totalAduLength");
        }
        checkCrc(c, "primary", crc, start);
        if (src.equals(EndpointId.NONE)
                && ((flags & BundleFlags.REPORT_ANY) != 0 || (flags & BundleFlags.MUST_NOT_FRAGMENT) == 0 || fragment)) {
            throw c.error("primary.flags", srcAt,
                    "a bundle from dtn:none must not request status reports and must be flagged must-not-fragment");
        }
        return new PrimaryBlock(flags, crc, dest, src, reportTo, new CreationTimestamp(time, seq), lifetime,
                fragOffset, totalAdu);
    }

    private static CanonicalBlock decodeBlock(Cursor c) throws CodecException {
        int start = c.position();
        int n = c.arrayHead("block");
        if (n != 5 && n != 6) {
            throw c.error("block", start, "canonical block has " + n + " items, expected 5 or 6");
        }
        int tAt = c.position();
        long type = c.uint("block.type");
        if (type > Integer.MAX_VALUE) {
            throw c.error("block.type", tAt, "block type out of range");
        }
        int numAt = c.position();
        long number = c.uint("block.number");
        long flags = c.uint("block.flags");
        int crcAt = c.position();
        CrcType crc = CrcType.of(c.uint("block.crcType"));
        if (crc == null) {
            throw c.error("block.crcType", crcAt, "unknown CRC type");
        }
        if (n != (crc == CrcType.NONE ? 5 : 6)) {
            throw c.error("block", start, "canonical block item count does not match its CRC type");
        }
        if (type == BlockType.PAYLOAD && number != 1) {
            throw c.error("block.number", numAt, "the payload block must be block number 1");
        }
        if (number == 0) {
            throw c.error("block.number", numAt, "block number 0 is reserved for the primary block");
        }
        byte[] data = c.bytes("block.data");
        checkCrc(c, "block", crc, start);
        return new CanonicalBlock((int) type, number, flags, crc, data);
    }

    private static void checkCrc(Cursor c, String field, CrcType crc, int start) throws CodecException {
        if (crc == CrcType.NONE) {
            return;
        }
        int at = c.position();
        byte[] value = c.bytes(field + ".crc");
        if (value.length != crc.length()) {
            throw c.error(field + ".crc", at, "CRC value must be " + crc.length() + " bytes, found " + value.length);
        }
        int end = c.position();
        long expected = BlockCrc.compute(crc, c.input(), start, end);
        long actual = BlockCrc.read(crc, c.input(), end);
        if (expected != actual) {
            throw c.error(field + ".crc", at, "CRC mismatch");
        }
    }
}
