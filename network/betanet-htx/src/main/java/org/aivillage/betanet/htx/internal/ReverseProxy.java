package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.util.List;
import org.aivillage.betanet.htx.DecoySite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The byte-transparent reverse-proxy decoy: connects to the origin, sends it every byte the client
 * sent (the sniffed request first), and relays both directions until either side closes.
 */
public final class ReverseProxy {
    private static final Logger log = LoggerFactory.getLogger(ReverseProxy.class);
    private final DecoySite.ReverseProxy config;

    public ReverseProxy(DecoySite.ReverseProxy config) {
        this.config = config;
    }

    /** Relays until one side closes; closes {@code client} when done. */
    public void serve(InputStream clientIn, OutputStream clientOut, Socket client) throws IOException {
        Socket origin = new Socket();
        try {
            origin.connect(new InetSocketAddress(config.origin().getHost(), config.port()), (int) config.connectTimeout().toMillis());
            if (config.tls()) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(origin, config.origin().getHost(), config.port(), true);
                SSLParameters p = tls.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(config.origin().getHost())));
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
                tls.startHandshake();
                origin = tls;
            }
        } catch (IOException e) {
            log.info("decoy origin {} unreachable: {}", config.origin(), e.toString());
            clientOut.write(("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            clientOut.flush();
            origin.close();
            return;
        }
        Socket o = origin;
        if (client != null) {
            client.setSoTimeout(0);
        }
        Thread upstream = Thread.ofVirtual().name("htx-decoy-upstream").start(() -> {
            try {
                clientIn.transferTo(o.getOutputStream());
                if (!(o instanceof SSLSocket)) {
                    o.shutdownOutput();
                }
            } catch (IOException e) {
                closeQuietly(o);
            }
        });
        try (o) {
            byte[] buf = new byte[16 * 1024];
            InputStream oi = o.getInputStream();
            int n;
            while ((n = oi.read(buf)) >= 0) {
                clientOut.write(buf, 0, n);
                clientOut.flush();
            }
        } catch (IOException e) {
            log.debug("decoy relay ended: {}", e.toString());
        } finally {
            if (client != null) {
                closeQuietly(client);
            }
            upstream.interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
