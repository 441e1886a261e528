package org.aivillage.bench.crypto;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.Hmac;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SHA-256, HMAC-SHA256 and HKDF-SHA256 at handshake sizes (32-byte key, 64-byte input, 64-byte
 * output): BouncyCastle digests against the JDK's MessageDigest / Mac / KDF (JDK 25 final API).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashBench {
    private final byte[] key = new byte[32];
    private final byte[] input = new byte[64];
    private final byte[] salt = new byte[32];
    private final byte[] info = new byte[16];
    private MessageDigest jdkSha;
    private SecretKeySpec jdkKey;
    private KDF jdkHkdf;

    @Setup
    public void setup() throws Exception {
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
            salt[i] = (byte) (31 - i);
        }
        jdkSha = MessageDigest.getInstance("SHA-256");
        jdkKey = new SecretKeySpec(key, "HmacSHA256");
        jdkHkdf = KDF.getInstance("HKDF-SHA256");
    }

    @Benchmark
    public byte[] bcSha256() {
        SHA256Digest d = new SHA256Digest();
        d.update(input, 0, input.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public byte[] jdkSha256() {
        return jdkSha.digest(input);
    }

    @Benchmark
    public byte[] bcHmacSha256() {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(input, 0, input.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public byte[] jdkHmacSha256() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(jdkKey);
        return mac.doFinal(input);
    }

    @Benchmark
    public byte[] facadeHmacSha256() {
        return Hmac.sha256(key, input);
    }

    @Benchmark
    public byte[] bcHkdfSha256() {
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(input, salt, info));
        byte[] out = new byte[64];
        g.generateBytes(out, 0, 64);
        return out;
    }

    @Benchmark
    public byte[] jdkHkdfSha256() throws Exception {
        SecretKey k = jdkHkdf.deriveKey("Generic", HKDFParameterSpec.ofExtract().addIKM(input).addSalt(salt)
                .thenExpand(info, 64));
        return k.getEncoded();
    }

    @Benchmark
    public byte[] facadeHkdfSha256() {
        return Hkdf.sha256(input, salt, info, 64);
    }
}
