package org.aivillage.betanet.utls.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The JDK's TLS server on loopback: echoes application data back, and records each session's
 * exporter output for {@link #EXPORTER_LABEL} so tests can compare it with the client's.
 */
public final class JdkTlsServer implements AutoCloseable {
    public static final String EXPORTER_LABEL = "EXPORTER-betanet-test";
    public static final byte[] EXPORTER_CONTEXT = {1, 2, 3};

    /** What the server saw of one connection. */
    public record Session(String protocol, String cipherSuite, String alpn, byte[] exporter) {}

    private final SSLServerSocket server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    public final BlockingQueue<Session> sessions = new ArrayBlockingQueue<>(256);
    public final BlockingQueue<Throwable> errors = new ArrayBlockingQueue<>(256);
    /** When set, the server starts a KeyUpdate (update_requested) after its first echo. */
    public volatile boolean keyUpdateAfterFirstEcho;

    /**
     * @param protocols e.g. TLSv1.3 (or TLSv1.2 to test refusal)
     * @param namedGroups server groups in preference order (null: JDK default)
     * @param ciphers server suites (null: default)
     */
    public JdkTlsServer(SSLContext ctx, String[] protocols, String[] namedGroups, String[] ciphers) throws IOException {
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SSLParameters p = server.getSSLParameters();
        p.setProtocols(protocols);
        if (namedGroups != null) {
            p.setNamedGroups(namedGroups);
        }
        if (ciphers != null) {
            p.setCipherSuites(ciphers);
        }
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        server.setSSLParameters(p);
        executor.submit(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                executor.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket s) {
        try (s) {
            s.setSoTimeout(20_000);
            s.startHandshake();
            ExtendedSSLSession session = (ExtendedSSLSession) s.getSession();
            byte[] exp = session.exportKeyingMaterialData(EXPORTER_LABEL, EXPORTER_CONTEXT, 32);
            sessions.add(new Session(session.getProtocol(), session.getCipherSuite(), s.getApplicationProtocol(), exp));
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[32768];
            int n;
            boolean first = true;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
                if (first && keyUpdateAfterFirstEcho) {
                    s.startHandshake(); // TLS 1.3: sends KeyUpdate(update_requested)
                }
                first = false;
            }
        } catch (Exception e) {
            errors.add(e);
        }
    }

    public static String[] list(String... s) {
        return List.of(s).toArray(new String[0]);
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
    }
}
