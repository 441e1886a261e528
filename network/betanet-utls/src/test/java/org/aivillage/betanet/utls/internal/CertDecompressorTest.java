package org.aivillage.betanet.utls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.utls.support.ExternalTool;
import org.junit.jupiter.api.Test;

/**
 * RFC 8879 decompression with data compressed by independent encoders: java.util.zip's Deflater
 * (zlib), the brotli command-line tool from Debian, and the zstd library's encoder.
 */
class CertDecompressorTest {
    /** A Certificate-message-like body: repetitive DER-ish bytes, as real chains are. */
    static byte[] sample() {
        byte[] b = new byte[6000];
        byte[] unit = "0\u0082\u0003\u00a1\u00a0\u0003\u0002\u0001\u0002\u0002\u0014utls.test CA".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            b[i] = unit[i % unit.length];
        }
        System.arraycopy(Randomness.bytes(200), 0, b, 1000, 200);
        return b;
    }

    @Test
    void zlibFromDeflater() throws Exception {
        byte[] plain = sample();
        Deflater d = new Deflater();
        d.setInput(plain);
        d.finish();
        byte[] buf = new byte[plain.length + 64];
        int n = d.deflate(buf);
        d.end();
        byte[] compressed = java.util.Arrays.copyOf(buf, n);
        assertThat(CertDecompressor.decompress(CertDecompressor.ZLIB, compressed, plain.length)).isEqualTo(plain);
        assertThatThrownBy(() -> CertDecompressor.decompress(CertDecompressor.ZLIB, compressed, plain.length - 1))
                .isInstanceOf(IOException.class);
    }

    @Test
    void brotliFromTheBrotliTool() throws Exception {
        String brotli = ExternalTool.require("brotli", "brotli");
        byte[] plain = sample();
        Path in = Files.createTempFile("cert", ".bin");
        Path out = Path.of(in + ".br");
        try {
            Files.write(in, plain);
            Process p = new ProcessBuilder(brotli, "-q", "11", "-o", out.toString(), in.toString()).inheritIO().start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            byte[] compressed = Files.readAllBytes(out);
            assertThat(compressed.length).isLessThan(plain.length);
            assertThat(CertDecompressor.decompress(CertDecompressor.BROTLI, compressed, plain.length)).isEqualTo(plain);
            assertThatThrownBy(() -> CertDecompressor.decompress(CertDecompressor.BROTLI, compressed, plain.length + 1))
                    .isInstanceOf(IOException.class);
            // brotli has no checksum: corruption either fails or yields other bytes, which then fail X.509 parsing
            compressed[compressed.length / 2] ^= 0x5a;
            try {
                assertThat(CertDecompressor.decompress(CertDecompressor.BROTLI, compressed, plain.length)).isNotEqualTo(plain);
            } catch (IOException expected) {
                assertThat(expected).hasMessageContaining("brotli");
            }
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Test
    void zstdFromTheZstdEncoder() throws Exception {
        byte[] plain = sample();
        byte[] compressed = Zstd.compress(plain, 19);
        assertThat(CertDecompressor.decompress(CertDecompressor.ZSTD, compressed, plain.length)).isEqualTo(plain);
        assertThatThrownBy(() -> CertDecompressor.decompress(CertDecompressor.ZSTD, compressed, plain.length + 5))
                .isInstanceOf(IOException.class);
    }

    @Test
    void boundsAndUnknownAlgorithms() {
        assertThatThrownBy(() -> CertDecompressor.decompress(CertDecompressor.ZLIB, new byte[10], 0))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CertDecompressor.decompress(CertDecompressor.ZLIB, new byte[10],
                CertDecompressor.MAX_UNCOMPRESSED + 1)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CertDecompressor.decompress(9, new byte[10], 10)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> CertDecompressor.decompress(CertDecompressor.ZSTD, new byte[10], 10))
                .isInstanceOf(IOException.class);
    }
}
