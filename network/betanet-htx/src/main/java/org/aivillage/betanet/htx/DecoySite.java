package org.aivillage.betanet.htx;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a connection without a valid access ticket gets (Betanet 1.1 §5.2): a static site from a
 * directory, or a transparent reverse proxy to an origin. The HTX server hands such a connection
 * the exact bytes it received, so the decoy answers it as if it had been connected directly.
 */
public sealed interface DecoySite {

    /**
     * A static HTTP/1.1 site: GET/HEAD of files under {@code root} (index.html for directories),
     * {@code serverHeader} (null for none), closing idle keep-alive connections after {@code idleTimeout}.
     */
    record StaticDirectory(Path root, String serverHeader, Duration idleTimeout) implements DecoySite {
        public StaticDirectory {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            root = root.toAbsolutePath().normalize();
        }

        public StaticDirectory(Path root) {
            this(root, null, Duration.ofSeconds(15));
        }
    }

    /**
     * A byte-transparent reverse proxy: the client's bytes (the sniffed first request included) go
     * to {@code origin} (http or https; host and port) unchanged and the origin's bytes come back
     * unchanged.
     */
    record ReverseProxy(URI origin, Duration connectTimeout) implements DecoySite {
        public ReverseProxy {
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || origin.getHost() == null) {
                throw new IllegalArgumentException("reverse proxy origin must be http(s)://host[:port]");
            }
        }

        public ReverseProxy(URI origin) {
            this(origin, Duration.ofSeconds(5));
        }

        public boolean tls() {
            return origin.getScheme().equalsIgnoreCase("https");
        }

        public int port() {
            return origin.getPort() > 0 ? origin.getPort() : tls() ? 443 : 80;
        }
    }
}
