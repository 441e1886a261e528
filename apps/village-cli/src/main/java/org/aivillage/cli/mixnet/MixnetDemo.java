package org.aivillage.cli.mixnet;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.aivillage.betanet.client.AnonymityLevel;
import org.aivillage.betanet.client.BetaNetClient;
import org.aivillage.betanet.client.CircuitConfig;
import org.aivillage.betanet.client.ClientConfig;
import org.aivillage.betanet.client.ClientStats;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.TopologySource;

/**
 * The mixnet act of the demo: starts a small testnet (directory, 3 mixnodes in 3 layers, a gateway,
 * each its own process), sends messages through 3-hop circuits in every anonymity level, prints the
 * replies and timings, and shuts everything down. Bounded: well under a minute.
 */
public final class MixnetDemo {
    private MixnetDemo() {}

    /** Runs the act; returns 0 on success. */
    public static int run(PrintWriter out) throws Exception {
        Path dir = Files.createTempDirectory("village-demo-mixnet");
        long t0 = System.nanoTime();
        out.println("== BetaNet mixnet: Sphinx packets through 3 mix layers and back through SURBs ==");
        out.println("starting a local testnet: directory authority, 3 mixnodes (one per layer), 1 gateway: 5 processes...");
        out.flush();
        Testnet.State state = Testnet.up(dir, 3, 3, 3600, true, Duration.ofSeconds(50), out);
        try {
            out.printf("testnet ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            TestnetCommand.print(out, state);
            Transports transports = new Transports();
            transports.transport = "htx";
            transports.tlsCa = dir.resolve("tls").resolve("ca.pem");
            LinkTransport transport = transports.client();
            ClientConfig cfg = ClientConfig.builder(new TopologySource.Directory(URI.create(state.directoryUrl())),
                    KeyFiles.parsePublicKey(state.authorityHex()), transport).requestTimeout(Duration.ofSeconds(20))
                    .sourceAsGroup(64700).build();
            try (transport; BetaNetClient client = new BetaNetClient(cfg)) {
                client.connect();
                out.println("links: HTX (outer TLS 1.3, inner Noise XK, access tickets); ticket-less visitors get each node's decoy site");
                out.printf("client connected: signed topology #%d verified against the authority key%n", client.topology().serial());
                out.printf("%-8s %-32s %-9s %-12s %s%n", "LEVEL", "CIRCUIT (entry -> mid -> exit)", "DELAY/HOP", "LATENCY", "REPLY");
                for (AnonymityLevel level : AnonymityLevel.values()) {
                    String msg = "hello mixnet at " + level.name().toLowerCase(java.util.Locale.ROOT);
                    ClientCommand.Result r = ClientCommand.send(client, new CircuitConfig(3, level), msg.getBytes(StandardCharsets.UTF_8),
                            level == AnonymityLevel.MAXIMUM ? 2 : 5);
                    String reply = new String(r.reply(), StandardCharsets.UTF_8);
                    out.printf("%-8s %-32s %-9s %-12s %s%n", level.name().toLowerCase(java.util.Locale.ROOT),
                            String.join(" -> ", r.info().forwardHops()), "~" + level.meanDelayPerHop().toMillis() + " ms",
                            String.format("p50 %.0f ms", r.median()), reply);
                    if (!reply.equals(msg)) {
                        throw new IllegalStateException("the echo came back different: " + reply);
                    }
                }
                ClientStats st = client.stats();
                out.printf("client: %d packets sent, %d replies received, %d retries, cover: %d loops sent (%d back), %d drops%n",
                        st.packetsSent(), st.repliesReceived(), st.retries(), st.loopsSent(), st.loopsReturned(), st.dropsSent());
            }
        } finally {
            int n = Testnet.down(state, Duration.ofSeconds(15));
            out.printf("testnet down: %d processes stopped (%.1f s in total)%n", n, (System.nanoTime() - t0) / 1e9);
            out.flush();
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
