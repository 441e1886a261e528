package org.aivillage.bench.crypto;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.aivillage.betanet.crypto.X25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * X25519 on raw 32-byte keys, as the facade sees them: BouncyCastle's rfc7748 field arithmetic
 * against the JDK's XDH {@link KeyAgreement} (which first needs the raw bytes turned into key
 * objects, measured separately as {@code jdkAgreementPrebuiltKeys}) and against the facade, which
 * runs on the system libsodium when native access is enabled (this fork enables it).
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class X25519Bench {
    private byte[] priv;
    private byte[] peerPub;
    private PrivateKey jdkPriv;
    private PublicKey jdkPeerPub;
    private KeyFactory xdh;
    private KeyAgreement agreement;

    @Setup
    public void setup() throws Exception {
        SecureRandom rnd = new SecureRandom();
        priv = new byte[32];
        rnd.nextBytes(priv);
        byte[] other = new byte[32];
        rnd.nextBytes(other);
        peerPub = X25519.publicKey(other);
        xdh = KeyFactory.getInstance("XDH");
        agreement = KeyAgreement.getInstance("XDH");
        jdkPriv = jdkPrivate(priv);
        jdkPeerPub = jdkPublic(peerPub);
    }

    private PrivateKey jdkPrivate(byte[] raw) throws Exception {
        return xdh.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, raw));
    }

    private PublicKey jdkPublic(byte[] raw) throws Exception {
        // The JDK takes u as a BigInteger: little-endian bytes, bit 255 masked (RFC 7748 §5).
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = raw[31 - i];
        }
        be[0] &= 0x7f;
        return xdh.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
    }

    @Benchmark
    public byte[] bcAgreement() {
        byte[] out = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(priv, 0, peerPub, 0, out, 0);
        return out;
    }

    @Benchmark
    public byte[] jdkAgreementRawKeys() throws Exception {
        agreement.init(jdkPrivate(priv));
        agreement.doPhase(jdkPublic(peerPub), true);
        return agreement.generateSecret();
    }

    @Benchmark
    public byte[] jdkAgreementPrebuiltKeys() throws Exception {
        agreement.init(jdkPriv);
        agreement.doPhase(jdkPeerPub, true);
        return agreement.generateSecret();
    }

    @Benchmark
    public byte[] bcPublicKey() {
        byte[] out = new byte[32];
        org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(priv, 0, out, 0);
        return out;
    }

    @Benchmark
    public Object jdkKeyPairGenerator() throws Exception {
        return java.security.KeyPairGenerator.getInstance("X25519").generateKeyPair();
    }

    @Benchmark
    public byte[] facadeSharedSecret() throws Exception {
        return X25519.sharedSecret(priv, peerPub);
    }

    @Benchmark
    public Object facadeGenerateKeyPair() {
        return X25519.generateKeyPair();
    }
}
