package org.aivillage.betanet.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.mixnode.Topology;
import org.aivillage.betanet.mixnode.TopologyCodec;
import org.aivillage.betanet.mixnode.TopologySource;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client refuses unsigned, wrongly signed and stale topologies. */
class ClientTopologyTest {
    @TempDir
    Path dir;

    private BetaNetClient client(Path file, byte[] authority) {
        return new BetaNetClient(ClientConfig.builder(new TopologySource.File(file), authority, new TcpLinkTransport())
                .coverTraffic(false).build());
    }

    @Test
    void refusesUnsignedWronglySignedAndStaleTopologies() throws Exception {
        KeyPair authority = Ed25519.generateKeyPair();
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Topology fresh = new Topology(1, now, now.plusSeconds(60), Duration.ofHours(1), List.of());
        Topology stale = new Topology(2, now.minusSeconds(120), now.minusSeconds(60), Duration.ofHours(1), List.of());
        byte[] signed = TopologyCodec.signTopology(fresh, authority.privateKey());

        Path unsigned = Files.write(dir.resolve("unsigned"), Arrays.copyOf(signed, signed.length - 64));
        assertThatThrownBy(() -> client(unsigned, authority.publicKey()).connect()).hasMessageContaining("refusing the topology");
        Path other = Files.write(dir.resolve("other"), signed);
        assertThatThrownBy(() -> client(other, Ed25519.generateKeyPair().publicKey()).connect())
                .hasMessageContaining("bad signature");
        Path old = Files.write(dir.resolve("stale"), TopologyCodec.signTopology(stale, authority.privateKey()));
        assertThatThrownBy(() -> client(old, authority.publicKey()).connect()).hasMessageContaining("stale");
        assertThatThrownBy(() -> client(dir.resolve("missing"), authority.publicKey()).connect())
                .hasMessageContaining("cannot load the topology");
        try (BetaNetClient ok = client(other, authority.publicKey())) {
            ok.connect();
            assertThatThrownBy(() -> ok.createCircuit(new CircuitConfig(3, AnonymityLevel.HIGH)))
                    .hasMessageContaining("no gateway");
        }
    }
}
