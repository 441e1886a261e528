package org.aivillage.dtn;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test helpers: nodes on loopback with ephemeral ports, bounded waiting. */
final class Nodes {
    private Nodes() {}

    static NodeConfig.Builder config(String name, Path dir) {
        return NodeConfig.builder(EndpointId.parse("dtn://" + name + "/"), dir.resolve(name)).tcpclPort(0)
                .bindAddress("127.0.0.1").fsyncEveryCommit(false)
                .tcpcl(TcpclOptions.defaults().withKeepalive(Duration.ofSeconds(5)));
    }

    static DtnNode start(NodeConfig cfg) throws DtnException {
        DtnNode n = new DtnNode(cfg);
        n.start();
        return n;
    }

    /** Polls {@code condition} every 20 ms for up to {@code timeout}; fails with {@code what} if it never holds. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
