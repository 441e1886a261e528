package org.aivillage.betanet.utls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.aivillage.betanet.utls.internal.ByteWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local TCP listener that records the ClientHello of whatever connects (a browser pointed at
 * {@code https://host:port/}) and then ends the connection with a handshake_failure alert. The
 * records are kept exactly as received (record headers included). Holds at most
 * {@link #MAX_RECORDED} hellos; later ones are dropped.
 */
public final class ClientHelloRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHelloRecorder.class);
    public static final int MAX_RECORDED = 64;
    private static final int MAX_HELLO = 1 << 16;

    private final ServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<byte[]> hellos = new ArrayBlockingQueue<>(MAX_RECORDED);

    private ClientHelloRecorder(ServerSocket server) {
        this.server = server;
        executor.submit(this::acceptLoop);
    }

    /** Starts listening on {@code bind} (port 0 picks a free port). */
    public static ClientHelloRecorder start(InetSocketAddress bind) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(bind);
        return new ClientHelloRecorder(s);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                executor.submit(() -> record(s));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("ClientHello recorder accept failed: {}", e.getMessage());
                }
                return;
            }
        }
    }

    private void record(Socket s) {
        try (s) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteWriter raw = new ByteWriter(2048);
            int handshakeBytes = 0;
            int needed = -1;
            while (needed < 0 || handshakeBytes < needed) {
                byte[] header = in.readNBytes(5);
                if (header.length < 5 || header[0] != 0x16) {
                    return;
                }
                int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
                byte[] body = in.readNBytes(len);
                if (body.length < len || raw.size() + 5 + len > MAX_HELLO) {
                    return;
                }
                raw.bytes(header).bytes(body);
                if (needed < 0 && handshakeBytes == 0 && len >= 4) {
                    needed = 4 + (((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff));
                }
                handshakeBytes += len;
            }
            byte[] hello = raw.toByteArray();
            if (!hellos.offer(hello)) {
                LOG.debug("recorder full, dropping a ClientHello");
            }
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {21, 3, 3, 0, 2, 2, 40});
            out.flush();
        } catch (IOException e) {
            LOG.debug("ClientHello recorder connection failed: {}", e.getMessage());
        }
    }

    /** Waits until {@code count} hellos were recorded or {@code timeout} passes; returns what arrived. */
    public List<byte[]> await(int count, Duration timeout) throws InterruptedException {
        List<byte[]> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            byte[] h = hellos.poll(left, TimeUnit.NANOSECONDS);
            if (h != null) {
                out.add(h);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
    }
}
