package org.aivillage.betanet.htx;

import java.util.Objects;

/** Where to connect: host and port for TCP, {@code serverName} for TLS SNI and the HTTP Host field. */
public record HtxEndpoint(String host, int port, String serverName) {
    public HtxEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(serverName, "serverName");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535");
    }

    public static HtxEndpoint of(String host, int port) {
        return new HtxEndpoint(host, port, host);
    }

    /** Parses {@code host:port} (IPv6 in brackets). */
    public static HtxEndpoint parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("expected host:port");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return of(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public HtxEndpoint withServerName(String name) {
        return new HtxEndpoint(host, port, name);
    }
}
