package org.aivillage.betanet.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.aivillage.betanet.client.AnonymityLevel;
import org.aivillage.betanet.client.BetaNetClient;
import org.aivillage.betanet.client.BetaNetException;
import org.aivillage.betanet.client.BetaNetTimeoutException;
import org.aivillage.betanet.client.CircuitConfig;
import org.aivillage.betanet.client.PrivacyMode;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.mixnode.Link;
import org.aivillage.betanet.mixnode.LinkFrame;
import org.aivillage.betanet.mixnode.LinkTransport;
import org.aivillage.betanet.mixnode.internal.TcpLinkTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client -> 3 mix layers -> gateway -> service -> SURB reply, on loopback, for every level and service kind. */
class GatewayEndToEndTest {
    @TempDir
    static Path dir;
    private static TestNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = new TestNetwork(dir, 3, 2);
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    @Test
    void threeHopCircuitsInEveryAnonymityLevelGetTheirReply() throws Exception {
        try (BetaNetClient client = net.client()) {
            for (AnonymityLevel level : AnonymityLevel.values()) {
                String id = client.createCircuit(new CircuitConfig(3, level));
                assertThat(client.circuit(id).orElseThrow().forwardHops()).hasSize(3);
                byte[] reply = client.sendMessage(id, ("hello " + level).getBytes(StandardCharsets.UTF_8));
                assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("hello " + level);
                client.closeCircuit(id);
            }
            assertThat(net.gateway.node().stats().delivered()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void largeMessagesAreFragmentedBothWaysWithSurbSupply() throws Exception {
        net.gateway.register("double", req -> {
            byte[] out = new byte[req.length * 2];
            System.arraycopy(req, 0, out, 0, req.length);
            System.arraycopy(req, 0, out, req.length, req.length);
            return out;
        });
        try (BetaNetClient client = net.client()) {
            String id = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW).withService("double"));
            byte[] big = Randomness.bytes(20_000);
            byte[] reply = client.sendMessage(id, big);
            assertThat(reply).hasSize(40_000);
            assertThat(java.util.Arrays.copyOfRange(reply, 20_000, 40_000)).isEqualTo(big);
        }
    }

    @Test
    void lostPacketsAreRetriedUntilTheReplyArrives() throws Exception {
        // The client's link drops every third packet it sends.
        AtomicInteger sent = new AtomicInteger();
        LinkTransport lossy = new LossyTransport(net.transport, () -> sent.incrementAndGet() % 3 == 0);
        try (BetaNetClient client = new BetaNetClient(net.clientConfig().retryAttempts(6)
                .requestTimeout(Duration.ofSeconds(7)).build().withTransport(lossy))) {
            client.connect();
            String id = client.createCircuit(new CircuitConfig(2, AnonymityLevel.LOW));
            byte[] msg = Randomness.bytes(6_000);
            assertThat(client.sendMessage(id, msg)).isEqualTo(msg);
            assertThat(client.stats().retries()).isGreaterThan(0);
        }
    }

    @Test
    void servicesOverTcpAndHttpAndTheHttpProxy() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!tcp.isClosed()) {
                    try (Socket s = tcp.accept()) {
                        byte[] in = s.getInputStream().readAllBytes();
                        s.getOutputStream().write(("tcp:" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
            http.createContext("/svc", ex -> {
                byte[] in = ex.getRequestBody().readAllBytes();
                byte[] out = ("http:" + ex.getRequestMethod() + ":" + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("X-Test", "yes");
                ex.sendResponseHeaders(200, out.length);
                ex.getResponseBody().write(out);
                ex.close();
            });
            http.start();
            try {
                int hp = http.getAddress().getPort();
                net.gateway.register("tcp", new TcpService((InetSocketAddress) tcp.getLocalSocketAddress(), Duration.ofSeconds(5), 1 << 20));
                net.gateway.register("http", new HttpUrlService(URI.create("http://127.0.0.1:" + hp + "/svc"), Duration.ofSeconds(5)));
                net.gateway.register("proxy", new HttpProxyService(Set.of("127.0.0.1"), Duration.ofSeconds(5)));
                try (BetaNetClient client = net.client()) {
                    String tcpC = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW).withService("tcp"));
                    assertThat(new String(client.sendMessage(tcpC, "abc".getBytes()), StandardCharsets.UTF_8)).isEqualTo("tcp:abc");
                    String httpC = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW).withService("http"));
                    assertThat(new String(client.sendMessage(httpC, "xyz".getBytes()), StandardCharsets.UTF_8)).isEqualTo("http:POST:xyz");
                    String proxyC = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW).withService("proxy"));
                    String resp = new String(client.sendMessage(proxyC, ("GET http://127.0.0.1:" + hp + "/svc\nAccept: */*\n\n")
                            .getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
                    assertThat(resp).startsWith("200\n").containsIgnoringCase("x-test: yes").endsWith("http:GET:");
                    assertThatThrownBy(() -> client.sendMessage(proxyC, "GET http://example.org/\n\n".getBytes()))
                            .isInstanceOf(BetaNetException.class).hasMessageContaining("allow-list");
                }
            } finally {
                http.stop(0);
            }
        }
    }

    @Test
    void errorsAreClear() throws Exception {
        net.gateway.register("slow", req -> {
            Thread.sleep(5_000);
            return req;
        });
        try (BetaNetClient client = new BetaNetClient(net.clientConfig().privacyMode(PrivacyMode.STRICT).retryAttempts(1).build())) {
            assertThatThrownBy(() -> client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW)))
                    .hasMessageContaining("not connected");
            client.connect();
            assertThatThrownBy(() -> client.createCircuit(new CircuitConfig(2, AnonymityLevel.LOW)))
                    .hasMessageContaining("STRICT needs at least 3");
            String none = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW).withService("nope"));
            assertThatThrownBy(() -> client.sendMessage(none, new byte[] {1})).hasMessageContaining("no service 'nope'");
            String slow = client.createCircuit(new CircuitConfig(3, AnonymityLevel.LOW).withService("slow"));
            assertThatThrownBy(() -> client.sendMessage(slow, new byte[] {1}, Duration.ofMillis(800)))
                    .isInstanceOf(BetaNetTimeoutException.class)
                    .hasMessageContaining("no complete reply").hasMessageContaining("request fragments acknowledged");
        }
    }

    @Test
    void performanceModeAllowsZeroHopsStraightToTheGateway() throws Exception {
        try (BetaNetClient client = new BetaNetClient(net.clientConfig().privacyMode(PrivacyMode.PERFORMANCE).build())) {
            client.connect();
            String id = client.createCircuit(new CircuitConfig(0, AnonymityLevel.LOW));
            assertThat(client.sendMessage(id, "direct".getBytes())).isEqualTo("direct".getBytes());
            assertThatThrownBy(() -> client.createCircuit(new CircuitConfig(0, AnonymityLevel.LOW).withService("x.mixreq")))
                    .hasMessageContaining("at least 2");
        }
    }

    /** Wraps a transport; drops client-sent packets when the predicate says so. */
    record LossyTransport(LinkTransport inner, java.util.function.BooleanSupplier dropNext) implements LinkTransport {
        @Override
        public Listener listen(InetSocketAddress bind, Handler handler) throws IOException {
            return inner.listen(bind, handler);
        }

        @Override
        public Link connect(String address, Handler handler, Duration timeout) throws IOException {
            Link l = inner.connect(address, handler, timeout);
            return new Link() {
                @Override
                public boolean send(LinkFrame frame) {
                    if (frame instanceof LinkFrame.Packet && dropNext.getAsBoolean()) {
                        return true;
                    }
                    return l.send(frame);
                }

                @Override
                public java.net.InetAddress remoteAddress() {
                    return l.remoteAddress();
                }

                @Override
                public String describe() {
                    return "lossy " + l.describe();
                }

                @Override
                public boolean isOpen() {
                    return l.isOpen();
                }

                @Override
                public void close() {
                    l.close();
                }
            };
        }

        @Override
        public String name() {
            return "lossy";
        }

        @Override
        public void close() {
            // the inner transport belongs to the network
        }
    }

    static TcpLinkTransport tcp() {
        return new TcpLinkTransport();
    }
}
