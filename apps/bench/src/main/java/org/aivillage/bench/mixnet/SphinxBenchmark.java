package org.aivillage.bench.mixnet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.mixnode.Hop;
import org.aivillage.betanet.mixnode.Processed;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Sphinx;
import org.aivillage.betanet.mixnode.SphinxException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of unwrapping one Sphinx layer at a mixnode, beside the one public-key operation
 * it needs (an X25519 with the node's key), in the same run; and the sender's cost of building a
 * 3-hop packet and a 4-hop SURB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SphinxBenchmark {
    private KeyPair node;
    private byte[] packet;
    private byte[] peer;
    private List<Hop> path3;
    private List<Hop> path4;
    private Sphinx.KeyRing ring;

    @Setup
    public void setup() {
        node = X25519.generateKeyPair();
        peer = X25519.generateKeyPair().publicKey();
        List<KeyPair> keys = new ArrayList<>(List.of(node, X25519.generateKeyPair(), X25519.generateKeyPair(), X25519.generateKeyPair()));
        path4 = new ArrayList<>();
        for (KeyPair k : keys) {
            path4.add(new Hop(RouteId.forIdentityKey(k.publicKey()), k.publicKey(), 1, 0));
        }
        path3 = path4.subList(0, 3);
        packet = Sphinx.createPacket(path3, Sphinx.Command.DELIVER, RouteId.random(), new byte[100], Sphinx.RandomSource.SECURE);
        ring = phase -> node;
    }

    /** What a node does per packet (the replay check and forwarding aside). */
    @Benchmark
    public Processed processOneLayer() throws SphinxException {
        return Sphinx.process(packet, ring);
    }

    /** The public-key operation inside it. */
    @Benchmark
    public byte[] x25519SharedSecret() throws CryptoException {
        return X25519.sharedSecret(node.privateKey(), peer);
    }

    @Benchmark
    public byte[] createThreeHopPacket() {
        return Sphinx.createPacket(path3, Sphinx.Command.DELIVER, RouteId.random(), new byte[100], Sphinx.RandomSource.SECURE);
    }

    @Benchmark
    public Sphinx.SurbAndSecrets createFourHopSurb() {
        return Sphinx.createSurb(path4, RouteId.random(), Sphinx.RandomSource.SECURE);
    }
}
