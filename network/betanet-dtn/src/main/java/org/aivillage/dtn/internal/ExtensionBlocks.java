package org.aivillage.dtn.internal;

import org.aivillage.betanet.codec.CborEncoder;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.EndpointId;

/**
 * Block-type-specific data of the RFC 9171 extension blocks (previous node, bundle age, hop count)
 * and of the class-of-service block. The decoders throw {@link IllegalArgumentException} wrapping
 * nothing secret; {@link org.aivillage.dtn.BundleCodec} validates these blocks on decode, so a
 * decoded bundle's blocks always parse.
 */
public final class ExtensionBlocks {
    private ExtensionBlocks() {}

    public static byte[] encodeBundleAge(long ageMillis) {
        CborEncoder e = new CborEncoder(false);
        CborOut.uint(e, ageMillis);
        return e.toByteArray();
    }

    public static long decodeBundleAge(byte[] data) {
        try {
            return parseBundleAge(data);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static long parseBundleAge(byte[] data) throws CodecException {
        Cursor c = new Cursor(data);
        long v = c.uint("bundle age");
        requireEnd(c, "bundle age");
        return v;
    }

    public static byte[] encodeHopCount(long limit, long count) {
        CborEncoder e = new CborEncoder(false);
        CborOut.array(e, 2);
        CborOut.uint(e, limit);
        CborOut.uint(e, count);
        return e.toByteArray();
    }

    /** Returns {limit, count}. */
    public static long[] decodeHopCount(byte[] data) {
        try {
            return parseHopCount(data);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static long[] parseHopCount(byte[] data) throws CodecException {
        Cursor c = new Cursor(data);
        if (c.arrayHead("hop count") != 2) {
            throw c.error("hop count", 0, "hop count block data is [limit, count]");
        }
        long limit = c.uint("hop count.limit");
        long count = c.uint("hop count.count");
        requireEnd(c, "hop count");
        return new long[] {limit, count};
    }

    public static byte[] encodePreviousNode(EndpointId node) {
        return CborOut.eidBytes(node);
    }

    public static EndpointId decodePreviousNode(byte[] data) {
        try {
            return parsePreviousNode(data);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static EndpointId parsePreviousNode(byte[] data) throws CodecException {
        Cursor c = new Cursor(data);
        EndpointId id = c.eid("previous node");
        requireEnd(c, "previous node");
        return id;
    }

    public static byte[] encodePriority(int priority) {
        CborEncoder e = new CborEncoder(false);
        CborOut.uint(e, priority);
        return e.toByteArray();
    }

    public static int decodePriority(byte[] data) {
        try {
            return parsePriority(data);
        } catch (CodecException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static int parsePriority(byte[] data) throws CodecException {
        Cursor c = new Cursor(data);
        long p = c.uint("priority");
        requireEnd(c, "priority");
        if (p > 2) {
            throw c.error("priority", 0, "priority must be 0, 1 or 2");
        }
        return (int) p;
    }

    private static void requireEnd(Cursor c, String field) throws CodecException {
        if (!c.atEnd()) {
            throw c.error(field, c.position(), "trailing bytes after the block data");
        }
    }
}
