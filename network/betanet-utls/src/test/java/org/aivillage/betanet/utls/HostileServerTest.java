package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
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

    @Property(tries = 60)
    void randomBytes(@ForAll @Size(max = 300) byte[] reply) throws Exception {
        answerWith(reply);
    }

    @Property(tries = 80)
    void randomHandshakeRecords(@ForAll @Size(max = 300) byte[] body, @ForAll @IntRange(min = 0, max = 3) int kind)
            throws Exception {
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
