package org.aivillage.bench.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Ed25519 sign and verify of a 64-byte message: BouncyCastle rfc8032 against the JDK's EdDSA Signature. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Ed25519Bench {
    private final byte[] message = new byte[64];
    private byte[] seed;
    private byte[] pub;
    private byte[] sig;
    private KeyPair jdkKeys;
    private byte[] jdkSig;
    private Signature jdkSigner;
    private Signature jdkVerifier;

    @Setup
    public void setup() throws Exception {
        org.aivillage.betanet.crypto.KeyPair kp = Ed25519.generateKeyPair();
        seed = kp.privateKey();
        pub = kp.publicKey();
        sig = Ed25519.sign(seed, message);
        jdkKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        jdkSigner = Signature.getInstance("Ed25519");
        jdkVerifier = Signature.getInstance("Ed25519");
        jdkSigner.initSign(jdkKeys.getPrivate());
        jdkSigner.update(message);
        jdkSig = jdkSigner.sign();
    }

    @Benchmark
    public byte[] bcSign() {
        byte[] out = new byte[64];
        org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, out, 0);
        return out;
    }

    @Benchmark
    public boolean bcVerify() {
        return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(sig, 0, pub, 0, message, 0, message.length);
    }

    @Benchmark
    public byte[] jdkSign() throws Exception {
        jdkSigner.initSign(jdkKeys.getPrivate());
        jdkSigner.update(message);
        return jdkSigner.sign();
    }

    @Benchmark
    public boolean jdkVerify() throws Exception {
        jdkVerifier.initVerify(jdkKeys.getPublic());
        jdkVerifier.update(message);
        return jdkVerifier.verify(jdkSig);
    }
}
