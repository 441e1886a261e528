package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.aivillage.testkit.Gens;
import org.aivillage.betanet.utls.internal.ByteWriter;
import org.aivillage.betanet.utls.support.TestPki;

/** A server that answers the ClientHello with garbage: the client fails with an IOException, never hangs or crashes. */
class HostileServerTest {
    static final TestPki PKI;

    static {
        try {
            PKI = new TestPki();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void answerWith(byte[] reply) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().readNBytes(5);
                    s.getOutputStream().write(reply);
                    s.getOutputStream().flush();
                    s.shutdownOutput();
                    s.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            long start = System.nanoTime();
            try (UtlsConnection c = UtlsClient.connect("127.0.0.1", server.getLocalPort(), "utls.test",
                    ClientHelloTemplate.builtin("chromium"), PKI.trust(), Duration.ofSeconds(5))) {
                throw new AssertionError("handshake succeeded against garbage");
            } catch (IOException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(8));
            serving.get(5, TimeUnit.SECONDS);
        }
    }

    @org.junit.jupiter.api.Test
    void randomBytes() {
        qt().withExamples(60).forAll(Gens.bytes(300)).checkAssert(reply -> {
            try {
                answerWith(reply);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @org.junit.jupiter.api.Test
    void randomHandshakeRecords() {
        qt().withExamples(80).forAll(Gens.bytes(300), integers().between(0, 3)).checkAssert((body, kind) -> {
            try {
                handshakeRecordCase(body, kind);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private void handshakeRecordCase(byte[] body, int kind) throws Exception {
        ByteWriter w = new ByteWriter();
        int type = switch (kind) {
            case 0 -> 22;
            case 1 -> 21;
            case 2 -> 20;
            default -> 23;
        };
        byte[] hs = body;
        if (type == 22 && body.length > 0) {
            ByteWriter m = new ByteWriter();
            m.u8(2).vector(3, body);
            hs = m.toByteArray();
        }
        w.u8(type).u16(0x0303).vector(2, hs);
        answerWith(w.toByteArray());
    }
}
