package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.internal.Discovery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IPND-style beacons on the loopback interface: two nodes find each other and form a session. */
class DiscoveryTest {
    @TempDir
    Path dir;

    @Test
    void nodesDiscoverEachOtherAndDeliver() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        String group = "224.0.0.108:" + port;
        try (DtnNode a = Nodes.start(Nodes.config("a", dir).contactDiscovery(true).discoveryGroup(group)
                        .discoveryInterface("lo").discoveryInterval(Duration.ofMillis(200)).build());
                DtnNode b = Nodes.start(Nodes.config("b", dir).contactDiscovery(true).discoveryGroup(group)
                        .discoveryInterface("lo").discoveryInterval(Duration.ofMillis(200)).build())) {
            Nodes.await("a and b discover each other", Duration.ofSeconds(15),
                    () -> a.neighbours().contains(EndpointId.parse("dtn://b/"))
                            && b.neighbours().contains(EndpointId.parse("dtn://a/")));
            a.sendBundle(SendRequest.to(EndpointId.parse("dtn://b/x"), new byte[] {42}));
            assertThat(b.receiveBundle(EndpointId.parse("dtn://b/x"), Duration.ofSeconds(10))).isPresent();
        }
    }

    @Test
    void beaconCodec() throws Exception {
        byte[] b = Discovery.encodeBeacon(EndpointId.parse("dtn://n/"), 4556, 7, 2000);
        assertThat(Discovery.decodeBeacon(b, b.length))
                .isEqualTo(new Discovery.Beacon(EndpointId.parse("dtn://n/"), 4556, 7, 2000));
        assertThatThrownBy(() -> Discovery.decodeBeacon(new byte[] {(byte) 0x85, 2}, 2)).isInstanceOf(CodecException.class);
    }
}
