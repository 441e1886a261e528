package org.aivillage.betanet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aivillage.betanet.client.internal.PathSelector;
import org.aivillage.betanet.crypto.EcVrf;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.RouteId;
import org.aivillage.betanet.mixnode.Topology;
import org.aivillage.betanet.mixnode.TopologyNode;
import org.junit.jupiter.api.Test;

class PathSelectorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:30:00Z"), ZoneOffset.UTC);
    private static final byte[] VRF_KEY = Hashes.sha256("client".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] SRC = BetaNetClient.peerId(EcVrf.publicKey(VRF_KEY));
    private static final byte[] K0C = new byte[32];

    /** layers x perLayer mixnodes with AS groups as given, and one gateway in AS 9. */
    static Topology topology(int layers, int perLayer, int... as) {
        List<TopologyNode> nodes = new ArrayList<>();
        int i = 0;
        for (int l = 1; l <= layers; l++) {
            for (int k = 0; k < perLayer; k++, i++) {
                nodes.add(new TopologyNode(TopologyNode.Role.MIX, Hashes.sha256(new byte[] {(byte) i}), "127.0.0.1:" + (1000 + i),
                        l, as.length == 0 ? 100 + i : as[i % as.length], List.of()));
            }
        }
        nodes.add(new TopologyNode(TopologyNode.Role.GATEWAY, Hashes.sha256(new byte[] {(byte) 99}), "127.0.0.1:999", 0, 9,
                List.of()));
        Instant now = CLOCK.instant();
        return new Topology(1, now, now.plusSeconds(600), Duration.ofHours(1), nodes);
    }

    @Test
    void theFallbackBeaconIsTheSpecFormulaAndTheSeedBindsItsInputs() throws Exception {
        PathSelector s = new PathSelector(VRF_KEY, SRC, 1, BeaconSource.NONE, K0C, CLOCK);
        long epoch = CLOCK.instant().getEpochSecond() / 3600;
        var beacon = s.beaconSet(epoch);
        assertThat(beacon.getValue()).isTrue();
        byte[] expected = Hashes.sha256("bn-fallback".getBytes(StandardCharsets.US_ASCII), K0C,
                HexFormat.of().parseHex(String.format("%016x", epoch)));
        assertThat(beacon.getKey()).isEqualTo(expected);

        Topology t = topology(3, 2);
        TopologyNode gw = t.gateways().getFirst();
        byte[] nonce = Randomness.bytes(16);
        PathSelector.Selection sel = s.select(t, gw, 3, nonce);
        assertThat(sel.epoch()).isEqualTo(epoch);
        assertThat(sel.seed()).isEqualTo(Hashes.sha256(expected, SRC, gw.peerId(), nonce));
        assertThat(EcVrf.verify(EcVrf.publicKey(VRF_KEY), sel.seed(), sel.vrfProof())).isTrue();
        assertThat(sel.forward()).extracting(TopologyNode::layer).containsExactly(1, 2, 3);
        assertThat(sel.reply()).hasSize(3);

        // A configured beacon replaces the fallback.
        byte[] b = Randomness.bytes(32);
        PathSelector withBeacon = new PathSelector(VRF_KEY, SRC, 1, e -> Optional.of(b), K0C, CLOCK);
        assertThat(withBeacon.beaconSet(epoch).getKey()).isEqualTo(b);
        assertThat(withBeacon.beaconSet(epoch).getValue()).isFalse();
    }

    @Test
    void theSameSeedGivesTheSameHops() throws Exception {
        Topology t = topology(3, 4);
        byte[] nonce = Randomness.bytes(16);
        PathSelector a = new PathSelector(VRF_KEY, SRC, 1, BeaconSource.NONE, K0C, CLOCK);
        PathSelector b = new PathSelector(VRF_KEY, SRC, 1, BeaconSource.NONE, K0C, CLOCK);
        assertThat(a.select(t, t.gateways().getFirst(), 3, nonce).forward())
                .isEqualTo(b.select(t, t.gateways().getFirst(), 3, nonce).forward());
    }

    @Test
    void eightDistinctHopSetsBeforeAnyIsReused() throws Exception {
        Topology t = topology(3, 2); // exactly 8 possible 3-hop sets
        PathSelector s = new PathSelector(VRF_KEY, SRC, 1, BeaconSource.NONE, K0C, CLOCK);
        TopologyNode gw = t.gateways().getFirst();
        Set<List<RouteId>> seen = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            List<RouteId> set = s.select(t, gw, 3, Randomness.bytes(16)).forward().stream().map(TopologyNode::routeId).toList();
            assertThat(seen.add(set)).as("set %d is new", i).isTrue();
        }
        assertThat(seen).hasSize(8);
        // The ninth may reuse one: the cycle starts again.
        assertThat(s.select(t, gw, 3, Randomness.bytes(16)).forward()).hasSize(3);
        assertThat(s.usedSets(gw.routeId(), CLOCK.instant().getEpochSecond() / 3600)).isEqualTo(1);
    }

    @Test
    void atLeastOneHopLiesOutsideTheSourceAndDestinationAsGroups() throws Exception {
        // Every node is in AS 1 (the source's) or 9 (the gateway's) except one in layer 2.
        Topology t = topology(3, 2, 1, 9, 1, 7, 9, 1);
        PathSelector s = new PathSelector(VRF_KEY, SRC, 1, BeaconSource.NONE, K0C, CLOCK);
        for (int i = 0; i < 20; i++) {
            PathSelector.Selection sel = s.select(t, t.gateways().getFirst(), 3, Randomness.bytes(16));
            assertThat(sel.forward()).anyMatch(n -> n.asGroup() == 7);
            assertThat(sel.reply()).anyMatch(n -> n.asGroup() == 7);
        }
        Topology impossible = topology(3, 2, 1, 9);
        assertThatThrownBy(() -> s.select(impossible, impossible.gateways().getFirst(), 3, Randomness.bytes(16)))
                .isInstanceOf(BetaNetException.class).hasMessageContaining("AS diversity");
    }

    @Test
    void hopsCycleThroughTheLayersForLongCircuits() throws Exception {
        Topology t = topology(3, 3);
        PathSelector s = new PathSelector(VRF_KEY, SRC, 1, BeaconSource.NONE, K0C, CLOCK);
        assertThat(s.select(t, t.gateways().getFirst(), 5, Randomness.bytes(16)).forward())
                .extracting(TopologyNode::layer).containsExactly(1, 2, 3, 1, 2);
    }
}
