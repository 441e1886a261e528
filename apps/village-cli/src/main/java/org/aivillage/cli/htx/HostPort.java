package org.aivillage.cli.htx;

import java.net.InetSocketAddress;
import org.aivillage.config.UserException;

/** HOST:PORT on the command line ([v6] in brackets). */
final class HostPort {
    private HostPort() {}

    static InetSocketAddress parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new UserException("expected HOST:PORT, got '" + s + "'");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UserException("not a port number in '" + s + "'");
        }
        if (port < 0 || port > 65535) {
            throw new UserException("port out of range in '" + s + "'");
        }
        return new InetSocketAddress(host, port);
    }

    static String format(InetSocketAddress a) {
        String h = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
