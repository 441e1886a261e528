package org.aivillage.betanet.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Delivers to a TCP service: connects, writes the request, half-closes, and returns everything the
 * service writes until it closes (at most {@code maxResponse} bytes, within {@code timeout}).
 */
public final class TcpService implements MixService {
    private final InetSocketAddress target;
    private final Duration timeout;
    private final int maxResponse;

    public TcpService(InetSocketAddress target, Duration timeout, int maxResponse) {
        this.target = target;
        this.timeout = timeout;
        this.maxResponse = maxResponse;
    }

    @Override
    public byte[] handle(byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            int ms = (int) Math.max(1, timeout.toMillis());
            s.connect(target, ms);
            s.setSoTimeout(ms);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            byte[] out = in.readNBytes(maxResponse + 1);
            if (out.length > maxResponse) {
                throw new IOException("TCP service " + target + " answered more than " + maxResponse + " bytes");
            }
            return out;
        }
    }
}
