package org.aivillage.bench.crypto;

import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.aivillage.betanet.crypto.Aead;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A new key and one 64-byte seal: what a Noise handshake does after every MixKey (the key changes
 * after each DH, so each key seals one or two short messages). Measures the per-key setup cost of
 * the JDK Cipher (provider lookup) against BouncyCastle's lightweight engine and libsodium (which
 * takes the key with every call, so has no per-key set-up at all).
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadNewKeyBench {
    private final byte[] key = new byte[32];
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[32];
    private final byte[] plaintext = new byte[64];
    private final byte[] out = new byte[80];
    private long counter;

    private void next() {
        long n = ++counter;
        key[0] = (byte) n;
        key[1] = (byte) (n >>> 8);
        key[2] = (byte) (n >>> 16);
    }

    @Benchmark
    public int jdkNewCipherAndSeal() throws Exception {
        next();
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        c.updateAAD(aad);
        return c.doFinal(plaintext, 0, plaintext.length, out, 0);
    }

    @Benchmark
    public int bcNewKeyAndSeal() throws Exception {
        next();
        ChaCha20Poly1305 c = new ChaCha20Poly1305();
        c.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        int n = c.processBytes(plaintext, 0, plaintext.length, out, 0);
        return n + c.doFinal(out, n);
    }

    @Benchmark
    public int sodiumNewKeyAndSeal() throws Throwable {
        next();
        return NativeChaCha.Sodium.seal(key, nonce, aad, plaintext, plaintext.length, out);
    }

    @Benchmark
    public int facadeNewKeyAndSeal() {
        next();
        Aead a = Aead.chaCha20Poly1305(key);
        return a.seal(nonce, aad, plaintext, 0, plaintext.length, out, 0);
    }
}
