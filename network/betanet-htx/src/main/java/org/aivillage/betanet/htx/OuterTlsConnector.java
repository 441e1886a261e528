package org.aivillage.betanet.htx;

import java.io.IOException;
import java.time.Duration;

/**
 * The client-side outer TLS seam: opens TCP + TLS 1.3 to an endpoint (SNI = serverName) and
 * returns the established connection. {@link JdkTlsConnector} is the JDK implementation;
 * betanet-utls provides one that mirrors a browser's ClientHello.
 */
@FunctionalInterface
public interface OuterTlsConnector {
    /**
     * @throws IOException when TCP or TLS fails or takes longer than {@code timeout}
     */
    OuterTlsConnection connect(HtxEndpoint endpoint, Duration timeout) throws IOException;
}
