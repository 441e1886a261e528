package org.aivillage.dtn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The node process of {@link KillNineTest}: runs node {@code dtn://sender/} with its store in
 * {@code args[0]}, keeps a TCPCL session to {@code args[1]}, sends bundles "seq-N" for N from
 * {@code args[2]} to {@code args[3]} to dtn://receiver/inbox and prints "ACK N" after each
 * {@code sendBundle} returned (the bundle is durable). Then it keeps forwarding until killed or
 * until stdin closes.
 */
public final class KillNineChild {
    public static void main(String[] args) throws Exception {
        NodeConfig cfg = NodeConfig.builder(EndpointId.parse("dtn://sender/"), Path.of(args[0])).tcpclPort(-1)
                .peers(List.of(args[1])).fsyncEveryCommit(true)
                .tcpcl(TcpclOptions.defaults().withKeepalive(Duration.ofSeconds(5))).build();
        DtnNode node = new DtnNode(cfg);
        node.start();
        int from = Integer.parseInt(args[2]);
        int to = Integer.parseInt(args[3]);
        EndpointId inbox = EndpointId.parse("dtn://receiver/inbox");
        for (int i = from; i < to; i++) {
            node.sendBundle(SendRequest.to(inbox, ("seq-" + i).getBytes(StandardCharsets.UTF_8)));
            System.out.println("ACK " + i);
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until the parent closes stdin (or kills us)
        }
        node.stop();
    }
}
