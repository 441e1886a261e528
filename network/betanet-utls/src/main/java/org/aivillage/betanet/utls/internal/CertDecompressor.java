package org.aivillage.betanet.utls.internal;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.brotli.dec.BrotliInputStream;

/** RFC 8879 certificate decompression: zlib (1), brotli (2), zstd (3), bounded by the declared length. */
public final class CertDecompressor {
    public static final int ZLIB = 1;
    public static final int BROTLI = 2;
    public static final int ZSTD = 3;
    /** Largest uncompressed Certificate message this client accepts. */
    public static final int MAX_UNCOMPRESSED = 1 << 18;

    private CertDecompressor() {}

    public static boolean supported(int algorithm) {
        return algorithm == ZLIB || algorithm == BROTLI || algorithm == ZSTD;
    }

    /** Decompresses exactly {@code length} bytes or throws IOException. */
    public static byte[] decompress(int algorithm, byte[] data, int length) throws IOException {
        if (length <= 0 || length > MAX_UNCOMPRESSED) {
            throw new IOException("uncompressed certificate length " + length + " out of range");
        }
        byte[] out = new byte[length];
        switch (algorithm) {
            case ZLIB -> {
                Inflater inf = new Inflater();
                try {
                    inf.setInput(data);
                    int n = 0;
                    while (n < length && !inf.finished()) {
                        int k = inf.inflate(out, n, length - n);
                        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                            break;
                        }
                        n += k;
                    }
                    if (n != length || !inf.finished() || inf.getRemaining() != 0) {
                        throw new IOException("zlib certificate does not decompress to the declared length");
                    }
                } catch (DataFormatException e) {
                    throw new IOException("zlib certificate is corrupt");
                } finally {
                    inf.end();
                }
            }
            case BROTLI -> {
                try (InputStream in = new BrotliInputStream(new ByteArrayInputStream(data))) {
                    int n = in.readNBytes(out, 0, length);
                    if (n != length || in.read() != -1) {
                        throw new IOException("brotli certificate does not decompress to the declared length");
                    }
                } catch (IOException e) {
                    throw new IOException("brotli certificate is corrupt: " + e.getMessage());
                }
            }
            case ZSTD -> {
                try {
                    long declared = Zstd.getFrameContentSize(data);
                    if (declared >= 0 && declared != length) {
                        throw new IOException("zstd certificate frame declares " + declared + " bytes, message " + length);
                    }
                    long n = Zstd.decompressByteArray(out, 0, length, data, 0, data.length);
                    if (Zstd.isError(n) || n != length) {
                        throw new IOException("zstd certificate does not decompress to the declared length");
                    }
                } catch (RuntimeException e) {
                    throw new IOException("zstd certificate is corrupt: " + e.getMessage());
                }
            }
            default -> throw new IOException("certificate compression algorithm " + algorithm + " not supported");
        }
        return out;
    }
}
