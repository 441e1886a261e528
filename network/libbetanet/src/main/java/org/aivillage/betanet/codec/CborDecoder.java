package org.aivillage.betanet.codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes CBOR items (RFC 8949) from a byte range, one at a time, tracking the position so callers
 * can find the exact bytes of each item (DTN CRCs, COSE signatures). Well-formedness is enforced:
 * reserved additional information, stray breaks, invalid UTF-8, duplicate map keys, chunked strings
 * of the wrong type, lengths beyond the input and nesting deeper than {@code maxDepth} are all
 * rejected with a {@link CodecException} naming the offset. Memory use is bounded by the input size.
 */
public final class CborDecoder {
    /** Default bound on nesting of arrays, maps and tags. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private static final Object BREAK = new Object();

    private final byte[] in;
    private final int base;
    private final int limit;
    private final int maxDepth;
    private int pos;

    public CborDecoder(byte[] in) {
        this(in, 0, in.length, DEFAULT_MAX_DEPTH);
    }

    public CborDecoder(byte[] in, int offset, int limit, int maxDepth) {
        if (offset < 0 || limit > in.length || offset > limit) {
            throw new IllegalArgumentException("bad range " + offset + ".." + limit + " of " + in.length);
        }
        this.in = in;
        this.base = offset;
        this.limit = limit;
        this.maxDepth = maxDepth;
        this.pos = offset;
    }

    /** Offset of the next unread byte, relative to the start of the array. */
    public int position() {
        return pos;
    }

    public boolean atEnd() {
        return pos >= limit;
    }

    /** Reads the next complete item. */
    public CborValue read() throws CodecException {
        Object v = readItem(0, false);
        if (v == BREAK) {
            throw error("item", pos - 1, "unexpected break (0xff) outside an indefinite-length item");
        }
        return (CborValue) v;
    }

    /** Reads the head of the next item only: its major type and argument (arrays/maps: the count, -1 if indefinite). */
    public Head readHead() throws CodecException {
        int start = pos;
        int ib = nextByte("head");
        int major = ib >>> 5;
        int ai = ib & 0x1f;
        if (ai == 31) {
            if (major == 0 || major == 1 || major == 6) {
                throw error("head", start, "indefinite length not allowed for major type " + major);
            }
            return new Head(major, -1, true);
        }
        return new Head(major, argument(ai, start), false);
    }

    /** The head of an item: major type 0..7 and its argument (unsigned 64-bit). */
    public record Head(int majorType, long argument, boolean indefinite) {}

    private Object readItem(int depth, boolean breakAllowed) throws CodecException {
        if (depth > maxDepth) {
            throw error("item", pos, "nesting deeper than " + maxDepth);
        }
        int start = pos;
        int ib = nextByte("head");
        int major = ib >>> 5;
        int ai = ib & 0x1f;
        if (ib == 0xff) {
            if (breakAllowed) {
                return BREAK;
            }
            throw error("item", start, "unexpected break (0xff)");
        }
        if (ai == 31) {
            return switch (major) {
                case 2, 3 -> readChunked(major, start);
                case 4 -> readIndefiniteArray(depth);
                case 5 -> readIndefiniteMap(depth, start);
                default -> throw error("head", start, "indefinite length not allowed for major type " + major);
            };
        }
        if (major == 7) {
            return readSimpleOrFloat(ai, start);
        }
        long arg = argument(ai, start);
        return switch (major) {
            case 0 -> new CborValue.UnsignedInt(arg);
            case 1 -> new CborValue.NegativeInt(arg);
            case 2 -> new CborValue.ByteString(take(arg, "byte string", start));
            case 3 -> new CborValue.TextString(utf8(take(arg, "text string", start), start));
            case 4 -> readArray(arg, depth, start);
            case 5 -> readMap(arg, depth, start);
            case 6 -> new CborValue.Tagged(arg, (CborValue) nonBreak(readItem(depth + 1, false), start));
            default -> throw new AssertionError(major);
        };
    }

    private long argument(int ai, int start) throws CodecException {
        if (ai < 24) {
            return ai;
        }
        int n = switch (ai) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw error("head", start, "reserved additional information " + ai);
        };
        if (limit - pos < n) {
            throw error("head", start, "argument needs " + n + " bytes, " + (limit - pos) + " left");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (in[pos++] & 0xff);
        }
        return v;
    }

    private Object readSimpleOrFloat(int ai, int start) throws CodecException {
        if (ai < 24) {
            return new CborValue.Simple(ai);
        }
        switch (ai) {
            case 24 -> {
                int v = nextByte("simple value");
                if (v < 32) {
                    throw error("simple value", start, "two-byte simple value " + v + " must be >= 32");
                }
                return new CborValue.Simple(v);
            }
            case 25 -> {
                long bits = argument(25, start);
                return new CborValue.FloatValue(Float.float16ToFloat((short) bits));
            }
            case 26 -> {
                long bits = argument(26, start);
                return new CborValue.FloatValue(Float.intBitsToFloat((int) bits));
            }
            case 27 -> {
                long bits = argument(27, start);
                return new CborValue.FloatValue(Double.longBitsToDouble(bits));
            }
            default -> throw error("head", start, "reserved additional information " + ai + " in major type 7");
        }
    }

    private CborValue readArray(long count, int depth, int start) throws CodecException {
        if (Long.compareUnsigned(count, limit - pos) > 0) {
            throw error("array", start, "declares " + Long.toUnsignedString(count) + " items, only " + (limit - pos) + " bytes left");
        }
        List<CborValue> items = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            items.add((CborValue) nonBreak(readItem(depth + 1, false), start));
        }
        return new CborValue.Array(items, false);
    }

    private CborValue readIndefiniteArray(int depth) throws CodecException {
        List<CborValue> items = new ArrayList<>();
        while (true) {
            Object v = readItem(depth + 1, true);
            if (v == BREAK) {
                return new CborValue.Array(items, true);
            }
            items.add((CborValue) v);
        }
    }

    private CborValue readMap(long count, int depth, int start) throws CodecException {
        if (Long.compareUnsigned(count, (limit - pos) / 2) > 0) {
            throw error("map", start, "declares " + Long.toUnsignedString(count) + " entries, only " + (limit - pos) + " bytes left");
        }
        Map<CborValue, CborValue> entries = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            putEntry(entries, depth, start, false);
        }
        return new CborValue.CborMap(entries, false);
    }

    private CborValue readIndefiniteMap(int depth, int start) throws CodecException {
        Map<CborValue, CborValue> entries = new LinkedHashMap<>();
        while (putEntry(entries, depth, start, true)) {
            // keep reading entries until the break
        }
        return new CborValue.CborMap(entries, true);
    }

    private boolean putEntry(Map<CborValue, CborValue> entries, int depth, int start, boolean indefinite)
            throws CodecException {
        int keyPos = pos;
        Object k = readItem(depth + 1, indefinite);
        if (k == BREAK) {
            return false;
        }
        CborValue v = (CborValue) nonBreak(readItem(depth + 1, false), start);
        if (entries.putIfAbsent((CborValue) k, v) != null) {
            throw error("map key", keyPos, "duplicate key " + k);
        }
        return true;
    }

    private CborValue readChunked(int major, int start) throws CodecException {
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        while (true) {
            int chunkStart = pos;
            int ib = nextByte("chunk");
            if (ib == 0xff) {
                break;
            }
            if (ib >>> 5 != major || (ib & 0x1f) == 31) {
                throw error("chunk", chunkStart, "chunk of an indefinite-length string must be a definite string of the same type");
            }
            byte[] chunk = take(argument(ib & 0x1f, chunkStart), "chunk", chunkStart);
            if (major == 3) {
                utf8(chunk, chunkStart);
            }
            acc.writeBytes(chunk);
        }
        byte[] all = acc.toByteArray();
        return major == 2 ? new CborValue.ByteString(all) : new CborValue.TextString(utf8(all, start));
    }

    private Object nonBreak(Object v, int start) throws CodecException {
        if (v == BREAK) {
            throw error("item", pos - 1, "unexpected break (0xff) inside a definite-length item starting at " + start);
        }
        return v;
    }

    private byte[] take(long length, String field, int start) throws CodecException {
        if (Long.compareUnsigned(length, limit - pos) > 0) {
            throw error(field, start, "length " + Long.toUnsignedString(length) + " exceeds the " + (limit - pos) + " bytes left");
        }
        byte[] out = new byte[(int) length];
        System.arraycopy(in, pos, out, 0, out.length);
        pos += out.length;
        return out;
    }

    private int nextByte(String field) throws CodecException {
        if (pos >= limit) {
            throw error(field, pos, "unexpected end of input");
        }
        return in[pos++] & 0xff;
    }

    private static String utf8(byte[] bytes, int start) throws CodecException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException("text string", start, "invalid UTF-8");
        }
    }

    private CodecException error(String field, int at, String problem) {
        return new CodecException("cbor " + field, at - base, problem);
    }
}
