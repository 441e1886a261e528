package org.aivillage.bench.crypto;

import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.Aead;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * AEAD seal (encrypt + tag) of 64 B to 16 KiB with 16 bytes of associated data: BouncyCastle's
 * lightweight ChaCha20-Poly1305 / AES-GCM against the JDK's {@link Cipher}, libsodium's and
 * OpenSSL's ChaCha20-Poly1305 (through {@link NativeChaCha}), plus the facade. Every seal uses a
 * fresh nonce (BouncyCastle and the JDK refuse nonce reuse under one key), as a transport does.
 * The {@code ...Open} methods verify and decrypt one fixed sealed message.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {
    @Param({"64", "256", "1024", "4096", "16384"})
    public int size;

    private final byte[] key = new byte[32];
    private final byte[] aad = new byte[16];
    private final byte[] nonce = new byte[12];
    private byte[] plaintext;
    private byte[] out;
    private long counter;
    private KeyParameter bcKey;
    private ChaCha20Poly1305 bcChaCha;
    private GCMModeCipher bcGcm;
    private Cipher jdkChaCha;
    private Cipher jdkGcm;
    private SecretKeySpec jdkChaChaKey;
    private SecretKeySpec jdkAesKey;
    private Aead facadeChaCha;
    private Aead facadeGcm;
    private Aead facadeChaChaOpen;
    private NativeChaCha.OpenSsl opensslSeal;
    private NativeChaCha.OpenSsl opensslOpen;
    private Cipher jdkChaChaOpen;
    private final byte[] fixedNonce = new byte[12];
    private byte[] sealed;
    private byte[] opened;

    @Setup
    public void setup() throws Exception {
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        plaintext = new byte[size];
        out = new byte[size + 16];
        bcKey = new KeyParameter(key);
        bcChaCha = new ChaCha20Poly1305();
        bcGcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        jdkChaCha = Cipher.getInstance("ChaCha20-Poly1305");
        jdkGcm = Cipher.getInstance("AES/GCM/NoPadding");
        jdkChaChaKey = new SecretKeySpec(key, "ChaCha20");
        jdkAesKey = new SecretKeySpec(key, "AES");
        facadeChaCha = Aead.chaCha20Poly1305(key);
        facadeGcm = Aead.aes256Gcm(key);
        facadeChaChaOpen = Aead.chaCha20Poly1305(key);
        jdkChaChaOpen = Cipher.getInstance("ChaCha20-Poly1305");
        fixedNonce[0] = (byte) 0xff;
        sealed = Aead.chaCha20Poly1305(key).seal(fixedNonce, aad, plaintext);
        opened = new byte[size];
        try {
            opensslSeal = new NativeChaCha.OpenSsl(key, true);
            opensslOpen = new NativeChaCha.OpenSsl(key, false);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private byte[] nextNonce() {
        long n = counter++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (8 * i));
        }
        return nonce;
    }

    @Benchmark
    public int bcChaCha20Poly1305() throws Exception {
        bcChaCha.init(true, new AEADParameters(bcKey, 128, nextNonce().clone(), aad));
        int n = bcChaCha.processBytes(plaintext, 0, plaintext.length, out, 0);
        return n + bcChaCha.doFinal(out, n);
    }

    @Benchmark
    public int jdkChaCha20Poly1305() throws Exception {
        jdkChaCha.init(Cipher.ENCRYPT_MODE, jdkChaChaKey, new IvParameterSpec(nextNonce()));
        jdkChaCha.updateAAD(aad);
        return jdkChaCha.doFinal(plaintext, 0, plaintext.length, out, 0);
    }

    @Benchmark
    public int facadeChaCha20Poly1305() {
        return facadeChaCha.seal(nextNonce(), aad, plaintext, 0, plaintext.length, out, 0);
    }

    @Benchmark
    public int sodiumChaCha20Poly1305() throws Throwable {
        return NativeChaCha.Sodium.seal(key, nextNonce(), aad, plaintext, plaintext.length, out);
    }

    @Benchmark
    public int opensslChaCha20Poly1305() throws Throwable {
        return opensslSeal.seal(nextNonce(), aad, plaintext, plaintext.length, out);
    }

    @Benchmark
    public int jdkChaCha20Poly1305Open() throws Exception {
        jdkChaChaOpen.init(Cipher.DECRYPT_MODE, jdkChaChaKey, new IvParameterSpec(fixedNonce));
        jdkChaChaOpen.updateAAD(aad);
        return jdkChaChaOpen.doFinal(sealed, 0, sealed.length, opened, 0);
    }

    @Benchmark
    public int sodiumChaCha20Poly1305Open() throws Throwable {
        return NativeChaCha.Sodium.open(key, fixedNonce, aad, sealed, sealed.length, opened);
    }

    @Benchmark
    public int opensslChaCha20Poly1305Open() throws Throwable {
        return opensslOpen.open(fixedNonce, aad, sealed, sealed.length, opened);
    }

    @Benchmark
    public int facadeChaCha20Poly1305Open() throws Exception {
        return facadeChaChaOpen.open(fixedNonce, aad, sealed, 0, sealed.length, opened, 0);
    }

    @Benchmark
    public int bcAes256Gcm() throws Exception {
        bcGcm.init(true, new AEADParameters(bcKey, 128, nextNonce().clone(), aad));
        int n = bcGcm.processBytes(plaintext, 0, plaintext.length, out, 0);
        return n + bcGcm.doFinal(out, n);
    }

    @Benchmark
    public int jdkAes256Gcm() throws Exception {
        jdkGcm.init(Cipher.ENCRYPT_MODE, jdkAesKey, new GCMParameterSpec(128, nextNonce()));
        jdkGcm.updateAAD(aad);
        return jdkGcm.doFinal(plaintext, 0, plaintext.length, out, 0);
    }

    @Benchmark
    public int facadeAes256Gcm() {
        return facadeGcm.seal(nextNonce(), aad, plaintext, 0, plaintext.length, out, 0);
    }
}
