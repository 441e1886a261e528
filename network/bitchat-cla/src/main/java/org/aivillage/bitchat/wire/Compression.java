package org.aivillage.bitchat.wire;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.aivillage.betanet.codec.CodecException;

/**
 * Payload compression of the packet format (flag {@code isCompressed}): raw DEFLATE (RFC 1951, no
 * zlib header), which is what Apple's {@code COMPRESSION_ZLIB} produces and what bitchat-android's
 * zlib {@code CompressionUtil} reads. Early BitChat releases used LZ4 instead; see
 * docs/protocols/bitchat.md. Like upstream, payloads under 100 bytes or with a high share of
 * distinct bytes (already compressed or encrypted) are not compressed.
 */
public final class Compression {
    /** Smallest payload worth compressing. */
    public static final int THRESHOLD = 100;
    /**
     * Largest expansion accepted when inflating: DEFLATE cannot expand more than about 1032:1, so a
     * larger declared size is a lie, refused before allocating anything.
     */
    public static final int MAX_RATIO = 1032;

    private Compression() {
    }

    /** Upstream's heuristic: at least 100 bytes and fewer than 90 % distinct byte values. */
    public static boolean shouldCompress(byte[] data) {
        if (data.length < THRESHOLD) {
            return false;
        }
        boolean[] seen = new boolean[256];
        int distinct = 0;
        for (byte b : data) {
            if (!seen[b & 0xff]) {
                seen[b & 0xff] = true;
                distinct++;
            }
        }
        return (double) distinct / Math.min(data.length, 256) < 0.9;
    }

    /** The raw-DEFLATE form of {@code data} when worthwhile and smaller, else null. */
    public static byte[] compressIfUseful(byte[] data) {
        if (!shouldCompress(data)) {
            return null;
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
            byte[] buf = new byte[Math.max(64, data.length)];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
                if (out.size() >= data.length) {
                    return null;
                }
            }
            byte[] result = out.toByteArray();
            return result.length < data.length ? result : null;
        } finally {
            deflater.end();
        }
    }

    /**
     * Inflates {@code compressed} (raw DEFLATE) to exactly {@code originalSize} bytes.
     *
     * @param offset where the compressed bytes start in the frame, for the error message
     * @throws CodecException when the data is not valid DEFLATE or does not inflate to exactly that size
     */
    public static byte[] inflate(byte[] compressed, int originalSize, long offset) throws CodecException {
        if ((long) originalSize > (long) compressed.length * MAX_RATIO + 64) {
            throw new CodecException("payload", offset, "declared size " + originalSize
                    + " is an impossible expansion of " + compressed.length + " compressed bytes");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            byte[] out = new byte[originalSize];
            int n = 0;
            while (n < originalSize) {
                int k = inflater.inflate(out, n, originalSize - n);
                if (k == 0) {
                    break; // finished early, needs more input, or wants a dictionary: all malformed here
                }
                n += k;
            }
            if (n != originalSize) {
                throw new CodecException("payload", offset, "inflated to " + n + " bytes, declared " + originalSize);
            }
            if (!inflater.finished()) {
                // Either more output follows (the declared size is too small) or the stream is truncated.
                byte[] probe = new byte[1];
                if (inflater.inflate(probe) > 0 || !inflater.finished()) {
                    throw new CodecException("payload", offset, "compressed data does not end at the declared size "
                            + originalSize);
                }
            }
            return out;
        } catch (DataFormatException e) {
            throw new CodecException("payload", offset, "invalid DEFLATE data");
        } finally {
            inflater.end();
        }
    }
}
