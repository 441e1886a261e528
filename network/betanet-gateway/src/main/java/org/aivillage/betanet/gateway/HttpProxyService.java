package org.aivillage.betanet.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP proxy exit: the request is a small text HTTP message, {@code METHOD URL\n}, header lines
 * {@code Name: value\n}, an empty line, then the body; the response is {@code STATUS\n}, header lines,
 * an empty line, the body. Only http(s) URLs whose host is on the allow-list are fetched (an open
 * proxy exit invites abuse); hop-by-hop and identifying headers are not forwarded.
 */
public final class HttpProxyService implements MixService {
    private static final Set<String> DROPPED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "proxy-authorization", "forwarded", "x-forwarded-for", "via", "te", "trailer", "transfer-encoding");
    private final Set<String> allowedHosts;
    private final Duration timeout;
    private final HttpClient http;

    public HttpProxyService(Set<String> allowedHosts, Duration timeout) {
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public byte[] handle(byte[] request) throws IOException, InterruptedException {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\n\n");
        if (headEnd < 0) {
            throw new IOException("proxy request: no empty line after the headers");
        }
        String[] lines = text.substring(0, headEnd).split("\n");
        String[] first = lines[0].trim().split(" ", 2);
        if (first.length != 2) {
            throw new IOException("proxy request: first line must be 'METHOD URL'");
        }
        URI uri = URI.create(first[1].trim());
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null || !allowedHosts.contains(uri.getHost())) {
            throw new IOException("proxy request: " + uri.getHost() + " is not on the gateway's allow-list");
        }
        byte[] body = java.util.Arrays.copyOfRange(request, headEnd + 2, request.length);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(first[0].trim().toUpperCase(java.util.Locale.ROOT),
                        body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("proxy request: malformed header line " + i);
            }
            String name = lines[i].substring(0, colon).trim();
            if (!DROPPED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                b.header(name, lines[i].substring(colon + 1).trim());
            }
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        StringBuilder head = new StringBuilder().append(r.statusCode()).append('\n');
        for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
            if (h.getKey().startsWith(":")) {
                continue;
            }
            for (String v : h.getValue()) {
                head.append(h.getKey()).append(": ").append(v).append('\n');
            }
        }
        head.append('\n');
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = java.util.Arrays.copyOf(h, h.length + r.body().length);
        System.arraycopy(r.body(), 0, out, h.length, r.body().length);
        return out;
    }
}
