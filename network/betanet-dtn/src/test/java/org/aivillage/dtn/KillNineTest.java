package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a sending node (a real child JVM) in the middle of a stream of sends, then a
 * restart on the same store: every bundle whose {@code sendBundle} returned is delivered to the
 * receiver exactly once, none lost, duplicates suppressed.
 */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void acknowledgedBundlesSurviveKillNineExactlyOnce() throws Exception {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        NodeConfig rc = NodeConfig.builder(EndpointId.parse("dtn://receiver/"), dir.resolve("receiver")).tcpclPort(0)
                .fsyncEveryCommit(true).tcpcl(TcpclOptions.defaults().withKeepalive(Duration.ofSeconds(5))).build();
        try (DtnNode receiver = Nodes.start(rc)) {
            receiver.register(EndpointId.parse("dtn://receiver/inbox"),
                    r -> deliveries.computeIfAbsent(new String(r.payload(), StandardCharsets.UTF_8),
                            k -> new AtomicInteger()).incrementAndGet());
            Path store = dir.resolve("sender");

            // Run 1: killed with SIGKILL after at least 300 acknowledged sends.
            Process first = child(store, receiver.tcpclAddress(), 0, 3000);
            readAcks(first, acked, 300);
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).isEqualTo(137);

            // Run 2: same store, a new range of numbers (sends in flight at the kill may have been stored
            // under the next numbers; they may arrive too, each once).
            Process second = child(store, receiver.tcpclAddress(), 100_000, 100_300);
            readAcks(second, acked, 300);
            try {
                Nodes.await("every acknowledged bundle delivered", Duration.ofSeconds(60),
                        () -> acked.stream().allMatch(i -> deliveries.containsKey("seq-" + i)));
                Nodes.await("the sender emptied its store", Duration.ofSeconds(30),
                        () -> receiver.meters().counter("dtn.bundles.delivered").count() >= acked.size());
            } finally {
                second.getOutputStream().close();
                if (!second.waitFor(20, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        }
        List<String> duplicated = new ArrayList<>();
        deliveries.forEach((k, v) -> {
            if (v.get() != 1) {
                duplicated.add(k + "x" + v.get());
            }
        });
        assertThat(duplicated).as("bundles delivered more than once").isEmpty();
        for (int i : acked) {
            assertThat(deliveries).containsKey("seq-" + i);
        }
        assertThat(acked.size()).isGreaterThanOrEqualTo(600);
    }

    private static Process child(Path store, String peer, int from, int to) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), store.toString(), peer, Integer.toString(from), Integer.toString(to));
        pb.redirectError(store.resolveSibling("child-" + from + ".log").toFile());
        return pb.start();
    }

    /** Reads "ACK n" lines until {@code atLeast} were read (or DONE); returns the last number. */
    private static int readAcks(Process p, Set<Integer> acked, int atLeast) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        int count = 0;
        int last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while (count < atLeast && System.nanoTime() < deadline && (line = r.readLine()) != null) {
            if (line.startsWith("ACK ")) {
                last = Integer.parseInt(line.substring(4));
                acked.add(last);
                count++;
            } else if (line.equals("DONE")) {
                break;
            }
        }
        assertThat(count).as("acknowledged sends read from the child").isGreaterThanOrEqualTo(atLeast);
        return last;
    }
}
