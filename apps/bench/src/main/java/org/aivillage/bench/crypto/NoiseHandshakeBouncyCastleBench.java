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

/** The XK handshake of {@link NoiseHandshakeBench} with X25519 forced onto BouncyCastle (no libsodium), for comparison. */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "-Daivillage.crypto.x25519=bouncycastle")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NoiseHandshakeBouncyCastleBench {
    private static final byte[] EMPTY = new byte[0];
    private static final NoiseProtocol XK = NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_SHA256");
    private KeyPair initiatorStatic;
    private KeyPair responderStatic;

    @Setup
    public void setup() {
        if (!X25519.implementation().equals("bouncycastle")) {
            throw new IllegalStateException("expected BouncyCastle X25519, got " + X25519.implementation());
        }
        initiatorStatic = X25519.generateKeyPair();
        responderStatic = X25519.generateKeyPair();
    }

    @Benchmark
    public TransportState[] xkSha256BouncyCastleX25519() throws NoiseException {
        HandshakeState i = HandshakeState.builder(XK, Role.INITIATOR)
                .localStatic(initiatorStatic).remoteStatic(responderStatic.publicKey()).build();
        HandshakeState r = HandshakeState.builder(XK, Role.RESPONDER).localStatic(responderStatic).build();
        r.readMessage(i.writeMessage(EMPTY));
        i.readMessage(r.writeMessage(EMPTY));
        r.readMessage(i.writeMessage(EMPTY));
        return new TransportState[] {i.split(), r.split()};
    }
}
