package org.aivillage.betanet.utls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.utls.internal.TlsEngine;

/**
 * An established TLS 1.3 connection opened with a browser-mirrored ClientHello. One thread may
 * read while another writes; {@link #close()} sends close_notify and closes the socket.
 */
public final class UtlsConnection implements AutoCloseable {
    private final TlsEngine engine;
    private final InputStream input;
    private final OutputStream output;

    UtlsConnection(TlsEngine engine) {
        this.engine = engine;
        this.input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = engine.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                return engine.read(b, off, len);
            }

            @Override
            public int available() {
                return engine.available();
            }

            @Override
            public void close() {
                engine.close();
            }
        };
        this.output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                engine.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                engine.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                engine.flush();
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    /** Application data from the server; returns -1 after the server's close_notify. */
    public InputStream getInputStream() {
        return input;
    }

    /** Application data to the server; each write becomes one or more records (flush to send). */
    public OutputStream getOutputStream() {
        return output;
    }

    /** The ALPN protocol the server selected, if any. */
    public Optional<String> negotiatedAlpn() {
        return engine.alpn();
    }

    /** The RFC 8446 §7.5 exporter: {@code length} bytes bound to this connection, {@code label} and {@code context}. */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        return engine.exportKeyingMaterial(label, context, length);
    }

    /** The negotiated cipher suite code (0x1301, 0x1302 or 0x1303). */
    public int cipherSuite() {
        return engine.cipherSuite();
    }

    /** The key-exchange group (e.g. 0x11ec X25519MLKEM768, 0x001d X25519, 0x0017 secp256r1). */
    public int namedGroup() {
        return engine.namedGroup();
    }

    /** True when the server sent a HelloRetryRequest. */
    public boolean helloRetryRequested() {
        return engine.helloRetried();
    }

    /** The verified server chain, leaf first. */
    public List<X509Certificate> peerCertificates() {
        return List.of(engine.peerCertificates());
    }

    /** The (last) ClientHello sent, as a handshake message. */
    public byte[] clientHello() {
        return engine.clientHello();
    }

    /** The ServerHello received, as a handshake message. */
    public byte[] serverHello() {
        return engine.serverHello();
    }

    /** The underlying socket (for addresses and timeouts; do not read or write it directly). */
    public Socket socket() {
        return engine.socket();
    }

    /** Sends close_notify; reading stays possible until the server closes. */
    public void shutdownOutput() throws IOException {
        engine.shutdownOutput();
    }

    @Override
    public void close() {
        engine.close();
    }
}
