package org.aivillage.bench.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.concurrent.TimeUnit;
import javax.crypto.KEM;
import org.aivillage.betanet.crypto.MlKem768;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** ML-KEM-768 key generation, encapsulation and decapsulation: BouncyCastle (the facade) against the JDK 25 KEM API. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MlKemBench {
    private org.aivillage.betanet.crypto.KeyPair bcKeys;
    private byte[] bcCiphertext;
    private KeyPair jdkKeys;
    private byte[] jdkCiphertext;
    private KeyPairGenerator jdkGenerator;

    @Setup
    public void setup() throws Exception {
        bcKeys = MlKem768.generateKeyPair();
        bcCiphertext = MlKem768.encapsulate(bcKeys.publicKey()).ciphertext();
        jdkGenerator = KeyPairGenerator.getInstance("ML-KEM-768");
        jdkKeys = jdkGenerator.generateKeyPair();
        jdkCiphertext = KEM.getInstance("ML-KEM").newEncapsulator(jdkKeys.getPublic()).encapsulate().encapsulation();
    }

    @Benchmark
    public Object bcKeyGen() {
        return MlKem768.generateKeyPair();
    }

    @Benchmark
    public Object jdkKeyGen() {
        return jdkGenerator.generateKeyPair();
    }

    @Benchmark
    public Object bcEncapsulate() throws Exception {
        return MlKem768.encapsulate(bcKeys.publicKey());
    }

    @Benchmark
    public Object jdkEncapsulate() throws Exception {
        return KEM.getInstance("ML-KEM").newEncapsulator(jdkKeys.getPublic()).encapsulate();
    }

    @Benchmark
    public byte[] bcDecapsulate() throws Exception {
        return MlKem768.decapsulate(bcKeys.privateKey(), bcCiphertext);
    }

    @Benchmark
    public Object jdkDecapsulate() throws Exception {
        return KEM.getInstance("ML-KEM").newDecapsulator(jdkKeys.getPrivate()).decapsulate(jdkCiphertext);
    }
}
