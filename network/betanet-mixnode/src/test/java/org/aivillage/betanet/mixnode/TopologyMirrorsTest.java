package org.aivillage.betanet.mixnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bootstrapping from mixnodes that mirror the signed topology: any valid fresh copy, never a forged one. */
class TopologyMirrorsTest {
    private static final KeyPair AUTHORITY = Ed25519.generateKeyPair();
    private final List<TopologyMirror> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(TopologyMirror::close);
    }

    /** A node's topology mirror serving {@code doc} (null: 503, as a node without a topology yet). */
    private URI mirror(byte[] doc) throws IOException {
        TopologyMirror m = new TopologyMirror(new InetSocketAddress("127.0.0.1", 0), () -> Optional.ofNullable(doc));
        servers.add(m);
        return URI.create("http://127.0.0.1:" + m.address().getPort());
    }

    private static URI unreachable() {
        return URI.create("http://127.0.0.1:1");
    }

    @Test
    void takesAValidCopyFromAnyMirrorAndSkipsDeadOrLyingOnes() throws Exception {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        Topology t = TopologyCodecTest.sample(5, now);
        byte[] doc = TopologyCodec.signTopology(t, AUTHORITY.privateKey());
        byte[] forged = doc.clone();
        forged[forged.length / 2] ^= 1;
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        TopologySource.Mirrors m = new TopologySource.Mirrors(List.of(unreachable(), mirror(null), mirror(forged), mirror(doc)));
        // Tried in a random order: whatever the order, only the valid copy is ever returned.
        for (int i = 0; i < 10; i++) {
            TopologySource.Verified v = m.fetchVerified(AUTHORITY.publicKey(), clock, Duration.ofSeconds(2));
            assertThat(v.topology()).isEqualTo(t);
            assertThat(v.document()).isEqualTo(doc);
        }
    }

    @Test
    void refusesWhenNoMirrorServesAValidFreshCopy() throws Exception {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        byte[] doc = TopologyCodec.signTopology(TopologyCodecTest.sample(3, now), AUTHORITY.privateKey());
        KeyPair other = Ed25519.generateKeyPair();
        byte[] otherAuthority = TopologyCodec.signTopology(TopologyCodecTest.sample(3, now), other.privateKey());
        // Every mirror answered, with a stale or foreign document: the refusal is the error.
        Clock later = Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        Throwable stale = catchThrowable(() -> new TopologySource.Mirrors(List.of(mirror(doc), mirror(otherAuthority)))
                .fetchVerified(AUTHORITY.publicKey(), later, Duration.ofSeconds(2)));
        assertThat(stale).isInstanceOf(TopologyException.class);
        // Some unreachable: an I/O error naming every mirror and its reason.
        URI dead = unreachable();
        URI empty = mirror(null);
        Throwable down = catchThrowable(() -> new TopologySource.Mirrors(List.of(dead, empty))
                .fetchVerified(AUTHORITY.publicKey(), Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(2)));
        assertThat(down).isInstanceOf(IOException.class).hasMessageContaining(dead.toString())
                .hasMessageContaining(empty.toString()).hasMessageContaining("503");
        assertThat(catchThrowable(() -> new TopologySource.Mirrors(List.of()))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TopologySource.Mirrors.ofEndpoints(List.of("[::1]:8080", "node.example:443")).bases())
                .containsExactly(URI.create("http://[::1]:8080"), URI.create("http://node.example:443"));
    }

    @Test
    void mirrorServesOnlyGetTopology() throws Exception {
        byte[] doc = {1, 2, 3};
        URI base = mirror(doc);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var get = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/topology")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(doc);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/topology"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
    }
}
