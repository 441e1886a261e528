package org.aivillage.betanet.htx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.htx.internal.StaticSite;
import org.aivillage.betanet.htx.internal.TicketCarriers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole stack on loopback: JDK TLS 1.3 with a bcpkix CA, tickets, decoy, Noise XK(hfs), frames. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HtxEndToEndTest {
    static final Duration T = Duration.ofSeconds(20);
    static final TestPki PKI = TestPki.create();
    static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    @TempDir
    Path site;
    final KeyPair serverStatic = X25519.generateKeyPair();
    final TicketIssuerKey ticketKey = TicketIssuerKey.generate();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final List<AutoCloseable> cleanup = new java.util.concurrent.CopyOnWriteArrayList<>();
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void writeSite() throws IOException {
        Files.writeString(site.resolve("index.html"), "<!doctype html><title>Bakery</title><h1>Fresh bread daily</h1>\n");
        Files.createDirectories(site.resolve("img"));
        Files.write(site.resolve("img/logo.png"), Randomness.bytes(3000));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        pool.shutdownNow();
    }

    HtxServerConfig serverConfig(DecoySite decoy) throws IOException {
        return HtxServerConfig.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), PKI.identity(), serverStatic,
                List.of(ticketKey), decoy).withClock(CLOCK).withMetrics(registry).withBehaviour(BehaviourPolicy.DISABLED)
                .withKeyAgreement(KeyAgreement.X25519);
    }

    HtxServer start(HtxServerConfig config) throws IOException {
        HtxServer s = HtxServer.bind(config);
        cleanup.add(s);
        return s;
    }

    HtxServer start() throws IOException {
        return start(serverConfig(new DecoySite.StaticDirectory(site)));
    }

    HtxClientConfig clientConfig() {
        return HtxClientConfig.of(PKI.connector()).withClock(CLOCK).withMetrics(registry).withBehaviour(BehaviourPolicy.DISABLED)
                .withKeyAgreement(KeyAgreement.X25519);
    }

    static HtxEndpoint endpoint(HtxServer s) {
        return new HtxEndpoint("127.0.0.1", s.localAddress().getPort(), "localhost");
    }

    HtxConnection connect(HtxServer s, HtxClientConfig config) throws IOException {
        HtxConnection c = HtxClient.connect(config, endpoint(s), serverStatic.publicKey(), ticketKey.ticketKey(), T);
        cleanup.add(c);
        return c;
    }

    /** Accepts connections and echoes every stream. */
    void echoServer(HtxServer s) {
        pool.submit(() -> {
            HtxConnection c;
            while ((c = s.accept(Duration.ofMinutes(5))) != null) {
                echoConnection(c);
            }
            return null;
        });
    }

    void echoConnection(HtxConnection conn) {
        cleanup.add(conn);
        pool.submit(() -> {
            HtxStream st;
            while ((st = conn.acceptStream(Duration.ofMinutes(5))) != null) {
                HtxStream stream = st;
                pool.submit(() -> {
                    try (stream) {
                        stream.inputStream().transferTo(stream.outputStream());
                        stream.shutdownOutput();
                    }
                    return null;
                });
            }
            return null;
        });
    }

    static byte[] echoRoundTrip(HtxConnection c, byte[] data) throws Exception {
        try (HtxStream s = c.openStream(T)) {
            s.setReadTimeout(T);
            Future<?> w = Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
                s.outputStream().write(data);
                s.shutdownOutput();
                return null;
            });
            byte[] back = s.inputStream().readAllBytes();
            w.get(20, TimeUnit.SECONDS);
            return back;
        }
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** Sends raw bytes over outer TLS, half-closes, returns everything the server answers. */
    static byte[] tlsExchange(HtxServer s, byte[] request) throws IOException {
        JdkTlsConnector.JdkTlsConnection c = (JdkTlsConnector.JdkTlsConnection) PKI.connector().connect(endpoint(s), T);
        try (c) {
            c.socket().setSoTimeout((int) T.toMillis());
            c.outputStream().write(request);
            c.outputStream().flush();
            c.socket().shutdownOutput();
            return c.inputStream().readAllBytes();
        }
    }

    /** What the decoy answers to the same bytes when it is run on its own. */
    byte[] referenceDecoy(byte[] request) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StaticSite(new DecoySite.StaticDirectory(site), CLOCK).serve(new ByteArrayInputStream(request), out, null);
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sum over both sides (client and server share the registry here). */
    double counter(String name, String tag, String value) {
        return registry.find(name).tag(tag, value).counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    // ------------------------------------------------------------------ HTX over the full stack

    @Test
    void manyStreamsLargeTransfersAndForcedRekeysEndToEnd() throws Exception {
        RekeyPolicy rekey = new RekeyPolicy(1L << 40, 3, Duration.ofHours(1));
        // One-record frames both ways, so the transfers make enough frames for hundreds of rekeys.
        HtxServer s = start(serverConfig(new DecoySite.StaticDirectory(site)).withRekey(rekey).withLimits(HtxLimits.ONE_RECORD_FRAMES));
        echoServer(s);
        HtxConnection c = connect(s, clientConfig().withRekey(rekey).withLimits(HtxLimits.ONE_RECORD_FRAMES));
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] data = Randomness.bytes(i == 0 ? 16 << 20 : 1 + Randomness.nextInt(200_000));
            results.add(pool.submit(() -> MessageDigest.isEqual(sha256(echoRoundTrip(c, data)), sha256(data))));
        }
        for (Future<Boolean> f : results) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        }
        HtxConnectionStats st = c.stats();
        assertThat(st.rekeysSent()).isGreaterThan(500);
        assertThat(st.rekeysReceived()).isGreaterThan(500);
        assertThat(st.rekeysSent() + st.rekeysReceived()).isGreaterThan(1000);
        assertThat(counter("htx.connections", "outcome", "htx")).isEqualTo(2); // one per side
    }

    @Test
    void browserMirroredOuterTlsThroughBetanetUtls() throws Exception {
        HtxServer s = start();
        echoServer(s);
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PKI.ca);
        for (String template : org.aivillage.betanet.utls.ClientHelloTemplate.BUILTIN) {
            UtlsConnector utls = new UtlsConnector(org.aivillage.betanet.utls.ClientHelloTemplate.builtin(template),
                    org.aivillage.betanet.utls.UtlsClient.trustFrom(trust));
            HtxClientConfig cc = clientConfig();
            HtxClientConfig viaUtls = new HtxClientConfig(utls, null, KeyAgreement.HYBRID_X25519_MLKEM768, cc.limits(), cc.rekey(),
                    cc.behaviour(), "/", cc.requestFields(), CLOCK, registry);
            HtxConnection c = HtxClient.connect(viaUtls, endpoint(s), serverStatic.publicKey(), ticketKey.ticketKey(), T);
            cleanup.add(c);
            byte[] data = Randomness.bytes(200_000);
            assertThat(echoRoundTrip(c, data)).as(template).isEqualTo(data);
        }
    }

    @Test
    void serverOpenedStreamsAndHalfClose() throws Exception {
        HtxServer s = start();
        HtxConnection c = connect(s, clientConfig());
        HtxConnection sc = s.accept(T);
        HtxStream fromServer = sc.openStream(T);
        assertThat(fromServer.id() % 2).isZero();
        fromServer.outputStream().write("hello from the server".getBytes());
        fromServer.shutdownOutput();
        HtxStream atClient = c.acceptStream(T);
        atClient.setReadTimeout(T);
        assertThat(new String(atClient.inputStream().readAllBytes())).isEqualTo("hello from the server");
        atClient.outputStream().write("reply after FIN".getBytes());
        atClient.shutdownOutput();
        fromServer.setReadTimeout(T);
        assertThat(new String(fromServer.inputStream().readAllBytes())).isEqualTo("reply after FIN");
        assertThat(c.ping(T)).isPositive();
    }

    // ------------------------------------------------------------------ key agreement combinations

    @Test
    void keyAgreementCombinations() throws Exception {
        record Case(KeyAgreement client, KeyAgreement server, KeyAgreement expected) {}
        List<Case> cases = List.of(
                new Case(KeyAgreement.X25519, KeyAgreement.X25519, KeyAgreement.X25519),
                new Case(KeyAgreement.HYBRID_X25519_MLKEM768, KeyAgreement.HYBRID_X25519_MLKEM768, KeyAgreement.HYBRID_X25519_MLKEM768),
                new Case(KeyAgreement.HYBRID_X25519_MLKEM768, KeyAgreement.X25519, KeyAgreement.HYBRID_X25519_MLKEM768),
                new Case(KeyAgreement.X25519, KeyAgreement.HYBRID_X25519_MLKEM768, null));
        for (Case k : cases) {
            HtxServer s = start(serverConfig(new DecoySite.StaticDirectory(site)).withKeyAgreement(k.server()));
            HtxClientConfig cc = clientConfig().withKeyAgreement(k.client());
            if (k.expected() == null) {
                assertThatThrownBy(() -> connect(s, cc)).isInstanceOf(HtxHandshakeException.class)
                        .hasMessageContaining("requires the hybrid X25519 + ML-KEM-768");
                // The server refused cleanly and still serves hybrid clients.
                HtxConnection ok = connect(s, cc.withKeyAgreement(KeyAgreement.HYBRID_X25519_MLKEM768));
                echoConnection(s.accept(T));
                assertThat(echoRoundTrip(ok, "after refusal".getBytes())).isEqualTo("after refusal".getBytes());
                continue;
            }
            HtxConnection c = connect(s, cc);
            assertThat(c.keyAgreement()).as("%s", k).isEqualTo(k.expected());
            HtxConnection sc = s.accept(T);
            assertThat(sc.keyAgreement()).isEqualTo(k.expected());
            echoConnection(sc);
            byte[] data = Randomness.bytes(100_000);
            assertThat(echoRoundTrip(c, data)).isEqualTo(data);
        }
    }

    @Test
    void hybridIsTheDefaultFromTheSpecDate() throws Exception {
        Clock before = Clock.fixed(Instant.parse("2026-12-31T23:59:59Z"), ZoneOffset.UTC);
        Clock after = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThat(HtxClientConfig.of(PKI.connector()).withClock(before).effectiveKeyAgreement()).isEqualTo(KeyAgreement.X25519);
        assertThat(HtxClientConfig.of(PKI.connector()).withClock(after).effectiveKeyAgreement()).isEqualTo(KeyAgreement.HYBRID_X25519_MLKEM768);
        Clock later = Clock.fixed(Instant.parse("2027-03-01T12:00:00Z"), ZoneOffset.UTC);
        HtxServer s = start(serverConfig(new DecoySite.StaticDirectory(site)).withKeyAgreement(null).withClock(later));
        assertThat(s.localAddress()).isNotNull();
        HtxConnection c = connect(s, clientConfig().withKeyAgreement(null).withClock(later));
        assertThat(c.keyAgreement()).isEqualTo(KeyAgreement.HYBRID_X25519_MLKEM768);
        // An X25519-only client is refused by a server on the 2027 default.
        assertThatThrownBy(() -> connect(s, clientConfig().withClock(later))).isInstanceOf(HtxHandshakeException.class);
    }

    // ------------------------------------------------------------------ tickets and the decoy

    @Test
    void decoyIsIndistinguishableAtTheHttpLevel() throws Exception {
        HtxServer s = start();
        TicketKey key = ticketKey.ticketKey();
        String valid = AccessTicket.issue(key, CLOCK.instant()).toBase64Url();
        // Spend `valid` once: the server accepts it and waits for the Noise handshake that never comes.
        tlsExchange(s, TicketCarriers.buildRequest(TicketCarrier.COOKIE, valid, "localhost", "/", List.of()));
        String stale = AccessTicket.issue(key, CLOCK.instant().minus(Duration.ofHours(3))).toBase64Url();
        String foreign = AccessTicket.issue(TicketIssuerKey.generate().ticketKey(), CLOCK.instant()).toBase64Url();
        String fresh = AccessTicket.issue(key, CLOCK.instant()).toBase64Url();
        List<byte[]> probes = List.of(
                ascii("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                ascii("GET /img/logo.png HTTP/1.1\r\nHost: localhost\r\n\r\nHEAD /missing HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                TicketCarriers.buildRequest(TicketCarrier.COOKIE, valid, "localhost", "/", List.of("Accept: */*")),   // replayed
                TicketCarriers.buildRequest(TicketCarrier.QUERY, stale, "localhost", "/", List.of()),                  // hour too old
                TicketCarriers.buildRequest(TicketCarrier.BODY, foreign, "localhost", "/", List.of()),                 // unknown key
                TicketCarriers.buildRequest(TicketCarrier.QUERY, "AAAA" + fresh.substring(4), "localhost", "/", List.of()), // garbage
                ascii("GET /?bn1=" + fresh + " HTTP/1.1\r\nHost: localhost\r\nCookie: __Host-bn1=" + fresh + "\r\n\r\n"), // two carriers
                ascii("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"),
                ascii("\u0016\u0003\u0001garbage after TLS that is not HTTP"),
                ascii("GET /../../etc/passwd HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        for (byte[] probe : probes) {
            byte[] viaHtx = tlsExchange(s, probe);
            assertThat(new String(viaHtx, StandardCharsets.ISO_8859_1)).as("probe %s", new String(probe, StandardCharsets.ISO_8859_1))
                    .isEqualTo(new String(referenceDecoy(probe), StandardCharsets.ISO_8859_1));
            assertThat(viaHtx).isNotEmpty();
        }
        assertThat(counter("htx.tickets.rejected", "reason", "replayed")).isEqualTo(1);
        assertThat(counter("htx.tickets.rejected", "reason", "invalid")).isEqualTo(1);
        assertThat(counter("htx.tickets.rejected", "reason", "malformed")).isEqualTo(1);
        assertThat(counter("htx.tickets.rejected", "reason", "unknown_key")).isEqualTo(1);
        assertThat(counter("htx.tickets.rejected", "reason", "ambiguous_carriers")).isEqualTo(1);
        assertThat(counter("htx.tickets.rejected", "reason", "missing")).isGreaterThanOrEqualTo(4);
        // And the same server still switches to HTX for a fresh ticket.
        echoServer(s);
        HtxConnection c = connect(s, clientConfig());
        assertThat(echoRoundTrip(c, "still HTX".getBytes())).isEqualTo("still HTX".getBytes());
    }

    @Test
    void spentTicketsStayRefusedAfterTheServerRestarts(@TempDir Path state) throws Exception {
        String spent = AccessTicket.issue(ticketKey.ticketKey(), CLOCK.instant()).toBase64Url();
        byte[] request = TicketCarriers.buildRequest(TicketCarrier.COOKIE, spent, "localhost", "/", List.of());
        // In memory only, a restart forgets what was spent: the same ticket switches to HTX again.
        HtxServerConfig volatileConfig = serverConfig(new DecoySite.StaticDirectory(site));
        for (int run = 0; run < 2; run++) {
            HtxServer s = start(volatileConfig);
            assertThat(tlsExchange(s, request)).as("run %d: accepted, so no decoy page", run).isEmpty();
            s.close();
        }
        // With a replay store, the next server process refuses it (decoy) and takes fresh tickets.
        HtxServerConfig persistent = volatileConfig.withReplayStore(state.resolve("ticket-replay.db"));
        String other = AccessTicket.issue(ticketKey.ticketKey(), CLOCK.instant()).toBase64Url();
        byte[] otherRequest = TicketCarriers.buildRequest(TicketCarrier.QUERY, other, "localhost", "/", List.of());
        HtxServer first = start(persistent);
        assertThat(tlsExchange(first, otherRequest)).isEmpty();
        first.close();
        HtxServer second = start(persistent);
        assertThat(new String(tlsExchange(second, otherRequest), StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(referenceDecoy(otherRequest), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 ");
        assertThat(counter("htx.tickets.rejected", "reason", "replayed")).isEqualTo(1);
        echoServer(second);
        HtxConnection c = connect(second, clientConfig());
        assertThat(echoRoundTrip(c, "after a restart".getBytes())).isEqualTo("after a restart".getBytes());
    }

    @Test
    void reverseProxyDecoyRelaysTheOriginByteForByte() throws Exception {
        com.sun.net.httpserver.HttpServer origin = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        origin.createContext("/", ex -> {
            byte[] body = ("origin saw " + ex.getRequestMethod() + " " + ex.getRequestURI() + " cookie=" + ex.getRequestHeaders().getFirst("Cookie"))
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Origin", "real");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        origin.start();
        cleanup.add(() -> origin.stop(0));
        int originPort = origin.getAddress().getPort();
        HtxServer s = start(serverConfig(new DecoySite.ReverseProxy(java.net.URI.create("http://127.0.0.1:" + originPort))));
        String ticket = AccessTicket.issue(ticketKey.ticketKey(), CLOCK.instant()).toBase64Url();
        tlsExchange(s, TicketCarriers.buildRequest(TicketCarrier.QUERY, ticket, "localhost", "/", List.of()));
        List<byte[]> probes = List.of(
                ascii("GET /about HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                ascii("GET /?bn1=" + ticket + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"), // replayed
                TicketCarriers.buildRequest(TicketCarrier.COOKIE, "bm90LWEtdGlja2V0", "localhost", "/x", List.of("Connection: close")));
        for (byte[] probe : probes) {
            String viaHtx = maskDate(new String(tlsExchange(s, probe), StandardCharsets.ISO_8859_1));
            String direct;
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), originPort)) {
                plain.getOutputStream().write(probe);
                plain.shutdownOutput();
                direct = maskDate(new String(plain.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1));
            }
            assertThat(viaHtx).contains("origin saw").isEqualTo(direct);
        }
        echoServer(s);
        HtxConnection c = connect(s, clientConfig());
        assertThat(echoRoundTrip(c, "through the proxy-decoy server".getBytes())).isEqualTo("through the proxy-decoy server".getBytes());
    }

    static String maskDate(String response) {
        return response.replaceAll("(?m)^Date: .*$", "Date: <masked>");
    }

    @Test
    void clientReportsARejectedTicket() throws Exception {
        HtxServer s = start();
        TicketKey wrong = TicketIssuerKey.generate().ticketKey();
        assertThatThrownBy(() -> HtxClient.connect(clientConfig(), endpoint(s), serverStatic.publicKey(), wrong, T))
                .isInstanceOf(HtxTicketRejectedException.class).hasMessageContaining("decoy");
    }

    @Test
    void everyCarrierWorks() throws Exception {
        HtxServer s = start();
        echoServer(s);
        for (TicketCarrier carrier : TicketCarrier.values()) {
            HtxConnection c = HtxClient.connect(clientConfig(), endpoint(s), serverStatic.publicKey(),
                    ticketKey.ticketKey().withPolicy(TicketPolicy.only(carrier)), T);
            cleanup.add(c);
            assertThat(echoRoundTrip(c, carrier.token().getBytes())).isEqualTo(carrier.token().getBytes());
        }
    }

    // ------------------------------------------------------------------ failures and hostile peers

    @Test
    void wrongServerStaticKeyFailsTheInnerHandshake() throws Exception {
        HtxServer s = start();
        byte[] notTheServer = X25519.generateKeyPair().publicKey();
        assertThatThrownBy(() -> HtxClient.connect(clientConfig(), endpoint(s), notTheServer, ticketKey.ticketKey(), T))
                .isInstanceOf(HtxException.class);
    }

    @Test
    void hostileConnectionsDoNotDisturbTheServer() throws Exception {
        HtxServer s = start();
        echoServer(s);
        HtxConnection good = connect(s, clientConfig());
        byte[] big = Randomness.bytes(4 << 20);
        Future<byte[]> transfer = pool.submit(() -> echoRoundTrip(good, big));
        // 1: TCP connect and leave; 2: garbage instead of a TLS ClientHello; 3: a valid ticket then garbage
        // instead of Noise; 4: a valid ticket and a bogus handshake variant; 5: TLS, then nothing sent.
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), s.localAddress().getPort())) {
            tcp.getOutputStream().write(Randomness.bytes(2000));
        } catch (IOException expected) {
            // the server may reset us
        }
        String t1 = AccessTicket.issue(ticketKey.ticketKey(), CLOCK.instant()).toBase64Url();
        byte[] req = TicketCarriers.buildRequest(TicketCarrier.COOKIE, t1, "localhost", "/", List.of());
        byte[] withGarbage = new byte[req.length + 600];
        System.arraycopy(req, 0, withGarbage, 0, req.length);
        System.arraycopy(Randomness.bytes(600), 0, withGarbage, req.length, 600);
        withGarbage[req.length] = 0;
        withGarbage[req.length + 1] = 0x02;
        withGarbage[req.length + 2] = 0x00;
        assertThat(tlsExchange(s, withGarbage)).isEmpty();
        String t2 = AccessTicket.issue(ticketKey.ticketKey(), CLOCK.instant()).toBase64Url();
        byte[] req2 = TicketCarriers.buildRequest(TicketCarrier.QUERY, t2, "localhost", "/", List.of());
        byte[] badVariant = java.util.Arrays.copyOf(req2, req2.length + 1);
        badVariant[req2.length] = 9;
        assertThat(tlsExchange(s, badVariant)).isEmpty();
        try (OuterTlsConnection idle = PKI.connector().connect(endpoint(s), T)) {
            assertThat(idle.negotiatedAlpn()).isEqualTo("http/1.1");
        }
        assertThat(transfer.get(60, TimeUnit.SECONDS)).isEqualTo(big);
        HtxConnection another = connect(s, clientConfig());
        assertThat(echoRoundTrip(another, "still serving".getBytes())).isEqualTo("still serving".getBytes());
        assertThat(counter("htx.connections", "outcome", "failed")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void serverFromPemFiles(@TempDir Path pemDir) throws Exception {
        PKI.writePem(pemDir);
        HtxServerConfig fromPem = new HtxServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new TlsIdentity.PemFiles(pemDir.resolve("chain.pem"), pemDir.resolve("key.pem")), serverStatic, List.of(ticketKey),
                new DecoySite.StaticDirectory(site), KeyAgreement.X25519, HtxLimits.DEFAULT, RekeyPolicy.DEFAULT,
                BehaviourPolicy.DISABLED, TicketRateLimit.DEFAULT, null, CLOCK, registry);
        HtxServer pem = start(fromPem);
        echoServer(pem);
        HtxConnection c = HtxClient.connect(clientConfig().withRequest("/", List.of()).withStaticKey(X25519.generateKeyPair()),
                endpoint(pem), serverStatic.publicKey(), ticketKey.ticketKey(), T);
        cleanup.add(c);
        assertThat(echoRoundTrip(c, "pem".getBytes())).isEqualTo("pem".getBytes());
        HtxClientConfig trustingPem = clientConfig();
        trustingPem = new HtxClientConfig(JdkTlsConnector.trustingPem(pemDir.resolve("ca.pem")), null, KeyAgreement.X25519,
                trustingPem.limits(), trustingPem.rekey(), trustingPem.behaviour(), "/", trustingPem.requestFields(), CLOCK, registry);
        HtxConnection c2 = HtxClient.connect(trustingPem, endpoint(pem), serverStatic.publicKey(), ticketKey.ticketKey(), T);
        cleanup.add(c2);
        assertThat(c2.isOpen()).isTrue();
    }

    @Test
    void closingTheServerEndsAcceptAndConnections() throws Exception {
        HtxServer s = start();
        HtxConnection c = connect(s, clientConfig());
        HtxConnection sc = s.accept(T);
        assertThatThrownBy(() -> s.accept(Duration.ofMillis(300))).isInstanceOf(java.net.SocketTimeoutException.class);
        s.close();
        assertThat(s.accept(T)).isNull();
        assertThat(sc.isOpen()).isFalse();
        long deadline = System.nanoTime() + T.toNanos();
        while (c.isOpen() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(c.isOpen()).isFalse();
        assertThat(c.acceptStream(T)).isNull();
    }

    @Test
    void outerTlsExporterIsEqualOnBothSidesAndBindsTheInnerKeys() throws Exception {
        // A client whose exporter differs from the server's (as behind a TLS-terminating middlebox)
        // fails the inner handshake: the exporter is the Noise prologue.
        HtxServer s = start();
        OuterTlsConnector lying = (e, t) -> {
            OuterTlsConnection real = PKI.connector().connect(e, t);
            return new OuterTlsConnection() {
                @Override public InputStream inputStream() throws IOException { return real.inputStream(); }
                @Override public java.io.OutputStream outputStream() throws IOException { return real.outputStream(); }
                @Override public byte[] exportKeyingMaterial(String label, byte[] context, int length) { return new byte[length]; }
                @Override public String negotiatedAlpn() { return real.negotiatedAlpn(); }
                @Override public java.net.SocketAddress remoteAddress() { return real.remoteAddress(); }
                @Override public void close() throws IOException { real.close(); }
            };
        };
        HtxClientConfig cc = clientConfig();
        HtxClientConfig lyingConfig = new HtxClientConfig(lying, null, KeyAgreement.X25519, cc.limits(), cc.rekey(), cc.behaviour(), "/",
                cc.requestFields(), CLOCK, registry);
        assertThatThrownBy(() -> HtxClient.connect(lyingConfig, endpoint(s), serverStatic.publicKey(), ticketKey.ticketKey(), T))
                .isInstanceOf(HtxException.class);
    }
}
