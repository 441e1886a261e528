package org.aivillage.betanet.htx.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.aivillage.betanet.htx.DecoySite;

/**
 * A small HTTP/1.1 static file server: the decoy for connections without a valid ticket. GET and
 * HEAD of regular files below the root (index.html for directories, no traversal, no symlinks
 * out of the root), keep-alive with an idle timeout, 405 for other methods, 400/414/431/505 for
 * malformed requests (then close), 501 for request bodies it does not understand.
 */
public final class StaticSite {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final int MAX_DISCARDED_BODY = 1 << 20;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"),
            Map.entry("webp", "image/webp"), Map.entry("woff2", "font/woff2"), Map.entry("xml", "application/xml"),
            Map.entry("pdf", "application/pdf"), Map.entry("wasm", "application/wasm"));

    private final DecoySite.StaticDirectory config;
    private final Clock clock;

    public StaticSite(DecoySite.StaticDirectory config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * Serves requests from {@code in} until the client closes, a request asks to close, the idle
     * timeout passes, or a malformed request arrives. {@code socket} (may be null) gets the idle
     * timeout as its read timeout.
     */
    public void serve(InputStream in, OutputStream out, Socket socket) throws IOException {
        byte[] buf = new byte[8192];
        int len = 0;
        if (socket != null) {
            socket.setSoTimeout((int) Math.max(1, config.idleTimeout().toMillis()));
        }
        try {
            while (true) {
                HttpRequestHead head = null;
                while (true) {
                    if (len > 0) {
                        try {
                            head = HttpRequestHead.parse(buf, len);
                        } catch (HttpFormatException e) {
                            respond(out, e.status(), null, true, false);
                            return;
                        }
                        if (head != null) break;
                    }
                    if (len == buf.length) {
                        buf = Arrays.copyOf(buf, Math.min(buf.length * 2, HttpRequestHead.MAX_HEAD + 1));
                    }
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        return;
                    }
                    len += n;
                }
                int consumed = head.headLength();
                long bodyLength;
                try {
                    bodyLength = head.contentLength();
                } catch (HttpFormatException e) {
                    respond(out, 400, null, true, false);
                    return;
                }
                if (head.hasTransferEncoding()) {
                    respond(out, 501, null, true, false);
                    return;
                }
                if (bodyLength > MAX_DISCARDED_BODY) {
                    respond(out, 413, null, true, false);
                    return;
                }
                // Discard the body (static files take none).
                long skip = Math.max(0, bodyLength);
                int fromBuffer = (int) Math.min(skip, len - consumed);
                consumed += fromBuffer;
                skip -= fromBuffer;
                while (skip > 0) {
                    long n = in.skip(skip);
                    if (n <= 0) {
                        if (in.read() < 0) return;
                        n = 1;
                    }
                    skip -= n;
                }
                System.arraycopy(buf, consumed, buf, 0, len - consumed);
                len -= consumed;
                boolean close = !head.keepAlive();
                handle(head, out, close);
                if (close) {
                    return;
                }
            }
        } catch (SocketTimeoutException idle) {
            // Idle keep-alive connection: close quietly, as common servers do.
        }
    }

    private void handle(HttpRequestHead head, OutputStream out, boolean close) throws IOException {
        boolean headOnly = head.method().equals("HEAD");
        if (!head.method().equals("GET") && !headOnly) {
            respond(out, 405, null, close, false);
            return;
        }
        Path file = resolve(head.path());
        if (file == null) {
            respond(out, 404, null, close, headOnly);
            return;
        }
        long length = Files.size(file);
        String ext = file.getFileName().toString();
        int dot = ext.lastIndexOf('.');
        String type = dot < 0 ? "application/octet-stream" : TYPES.getOrDefault(ext.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
        StringBuilder h = statusAndCommon(200, close);
        h.append("Content-Type: ").append(type).append("\r\n");
        h.append("Content-Length: ").append(length).append("\r\n");
        h.append("Last-Modified: ").append(HTTP_DATE.format(Files.getLastModifiedTime(file).toInstant())).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            try (InputStream body = Files.newInputStream(file)) {
                long copied = body.transferTo(out);
                if (copied != length) {
                    throw new IOException("file changed while being served");
                }
            }
        }
        out.flush();
    }

    /** The regular file for a request path, or null (404). */
    Path resolve(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        String decoded = TicketCarriers.percentDecode(rawPath);
        if (decoded.indexOf('\0') >= 0 || decoded.contains("\\")) {
            return null;
        }
        for (String seg : decoded.split("/", -1)) {
            if (seg.equals("..")) return null;
        }
        Path root = config.root();
        Path p = root.resolve(decoded.substring(1)).normalize();
        if (!p.startsWith(root)) {
            return null;
        }
        try {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                p = p.resolve("index.html");
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !p.toRealPath().startsWith(root.toRealPath())) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return p;
    }

    private StringBuilder statusAndCommon(int status, boolean close) {
        StringBuilder h = new StringBuilder(256);
        h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        if (config.serverHeader() != null) {
            h.append("Server: ").append(config.serverHeader()).append("\r\n");
        }
        h.append("Date: ").append(HTTP_DATE.format(clock.instant())).append("\r\n");
        if (close) {
            h.append("Connection: close\r\n");
        }
        return h;
    }

    private void respond(OutputStream out, int status, String extra, boolean close, boolean headOnly) throws IOException {
        byte[] body = ("<html><head><title>" + status + " " + reason(status) + "</title></head><body><h1>" + status + " "
                + reason(status) + "</h1></body></html>\n").getBytes(StandardCharsets.US_ASCII);
        StringBuilder h = statusAndCommon(status, close);
        if (status == 405) {
            h.append("Allow: GET, HEAD\r\n");
        }
        if (extra != null) {
            h.append(extra);
        }
        h.append("Content-Type: text/html; charset=utf-8\r\n");
        h.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!headOnly) {
            b.writeBytes(body);
        }
        out.write(b.toByteArray());
        out.flush();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
