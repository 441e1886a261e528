package org.aivillage.bench.crypto;

import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.NoiseProtocol;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Complete Noise handshakes with both sides in one operation (one thread, so ops/s is per core):
 * fresh ephemeral keys every time, static keys fixed, empty payloads, then split(). Target: at
 * least 2,000 XK handshakes/s per core.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseHandshakeBench {
    private static final byte[] EMPTY = new byte[0];
    private static final NoiseProtocol XK = NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_SHA256");
    private static final NoiseProtocol XK_BLAKE = NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_BLAKE2s");
    private static final NoiseProtocol NN = NoiseProtocol.parse("Noise_NN_25519_ChaChaPoly_SHA256");
    private static final NoiseProtocol XK_HFS = NoiseProtocol.parse("Noise_XKhfs_25519+MLKEM768_ChaChaPoly_SHA256");

    private KeyPair initiatorStatic;
    private KeyPair responderStatic;
    private final byte[] prologue = "bench".getBytes();

    @Setup
    public void setup() {
        if (!X25519.implementation().startsWith("libsodium")) {
            System.err.println("note: X25519 runs on " + X25519.implementation() + " (libsodium not available)");
        }
        initiatorStatic = X25519.generateKeyPair();
        responderStatic = X25519.generateKeyPair();
    }

    private TransportState[] xk(NoiseProtocol protocol) throws NoiseException {
        HandshakeState i = HandshakeState.builder(protocol, Role.INITIATOR).prologue(prologue)
                .localStatic(initiatorStatic).remoteStatic(responderStatic.publicKey()).build();
        HandshakeState r = HandshakeState.builder(protocol, Role.RESPONDER).prologue(prologue)
                .localStatic(responderStatic).build();
        r.readMessage(i.writeMessage(EMPTY));
        i.readMessage(r.writeMessage(EMPTY));
        r.readMessage(i.writeMessage(EMPTY));
        return new TransportState[] {i.split(), r.split()};
    }

    @Benchmark
    public TransportState[] xkSha256() throws NoiseException {
        return xk(XK);
    }

    @Benchmark
    public TransportState[] xkBlake2s() throws NoiseException {
        return xk(XK_BLAKE);
    }

    @Benchmark
    public TransportState[] xkHfsMlKem768() throws NoiseException {
        return xk(XK_HFS);
    }

    @Benchmark
    public TransportState[] nnSha256() throws NoiseException {
        HandshakeState i = HandshakeState.builder(NN, Role.INITIATOR).prologue(prologue).build();
        HandshakeState r = HandshakeState.builder(NN, Role.RESPONDER).prologue(prologue).build();
        r.readMessage(i.writeMessage(EMPTY));
        i.readMessage(r.writeMessage(EMPTY));
        return new TransportState[] {i.split(), r.split()};
    }
}
