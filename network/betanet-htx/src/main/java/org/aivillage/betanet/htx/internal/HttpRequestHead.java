package org.aivillage.betanet.htx.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An HTTP/1.x request head (RFC 9112): request line and header fields, up to the empty line.
 * {@link #parse} is a pure function over bytes; lines end in CRLF (a bare LF is accepted, as
 * common servers do). Bounded: head length and field count.
 */
public record HttpRequestHead(String method, String target, String version, List<Field> fields, int headLength) {
    public static final int MAX_HEAD = 16 * 1024;
    public static final int MAX_FIELDS = 100;

    public record Field(String name, String value) {}

    public HttpRequestHead {
        fields = List.copyOf(fields);
    }

    /** First value of a field (case-insensitive name), or null. */
    public String field(String name) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) return f.value;
        }
        return null;
    }

    public List<String> fieldValues(String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) out.add(f.value);
        }
        return out;
    }

    /** Content-Length, -1 when absent. */
    public long contentLength() throws HttpFormatException {
        List<String> values = fieldValues("Content-Length");
        if (values.isEmpty()) return -1;
        long len = -1;
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                String p = part.strip();
                if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new HttpFormatException("Content-Length", 0, "not a number", 400);
                }
                long n = Long.parseLong(p);
                if (len >= 0 && n != len) {
                    throw new HttpFormatException("Content-Length", 0, "conflicting values", 400);
                }
                len = n;
            }
        }
        return len;
    }

    public boolean hasTransferEncoding() {
        return field("Transfer-Encoding") != null;
    }

    /** Whether the connection stays open after the response (HTTP/1.1 default yes, 1.0 default no). */
    public boolean keepAlive() {
        String c = field("Connection");
        String lc = c == null ? "" : c.toLowerCase(Locale.ROOT);
        if (version.equals("HTTP/1.0")) {
            return lc.contains("keep-alive");
        }
        return !lc.contains("close");
    }

    /** The path of the target, without the query. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The query of the target (after '?'), or null. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }

    /**
     * Parses a head from {@code in[0, len)}. Returns null when the head is not complete yet (and
     * still within limits); throws when it can never become a valid head.
     */
    public static HttpRequestHead parse(byte[] in, int len) throws HttpFormatException {
        int limit = Math.min(len, MAX_HEAD);
        int lineStart = 0;
        String method = null;
        String target = null;
        String version = null;
        List<Field> fields = new ArrayList<>();
        // Tolerate leading empty lines before the request line (RFC 9112 §2.2).
        while (lineStart < limit && (in[lineStart] == '\r' || in[lineStart] == '\n')) {
            lineStart++;
            if (lineStart > 8) {
                throw new HttpFormatException("request-line", lineStart, "too many leading empty lines", 400);
            }
        }
        int pos = lineStart;
        while (true) {
            int lf = -1;
            for (int i = pos; i < limit; i++) {
                byte b = in[i];
                if (b == '\n') {
                    lf = i;
                    break;
                }
                if (b == 0 || (b == '\r' && i + 1 < limit && in[i + 1] != '\n')) {
                    throw new HttpFormatException(method == null ? "request-line" : "field", i, "invalid control byte", 400);
                }
            }
            if (lf < 0) {
                if (len >= MAX_HEAD) {
                    throw new HttpFormatException(method == null ? "request-line" : "fields", MAX_HEAD,
                            "head longer than " + MAX_HEAD + " bytes", method == null ? 414 : 431);
                }
                if (method == null && limit - lineStart > 0) {
                    // Reject bytes that can never start a request line before waiting for more.
                    checkMethodPrefix(in, lineStart, limit);
                }
                return null;
            }
            int lineEnd = lf > lineStart && in[lf - 1] == '\r' ? lf - 1 : lf;
            String line = new String(in, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
            if (method == null) {
                String[] parts = line.split(" ", -1);
                if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
                    throw new HttpFormatException("request-line", lineStart, "not METHOD SP TARGET SP VERSION", 400);
                }
                if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
                    if (parts[2].matches("HTTP/\\d\\.\\d")) {
                        throw new HttpFormatException("version", lineStart, "unsupported " + parts[2], 505);
                    }
                    throw new HttpFormatException("version", lineStart, "not an HTTP version", 400);
                }
                for (int i = 0; i < parts[1].length(); i++) {
                    char c = parts[1].charAt(i);
                    if (c <= 0x20 || c >= 0x7F) {
                        throw new HttpFormatException("target", lineStart, "invalid character", 400);
                    }
                }
                method = parts[0];
                target = parts[1];
                version = parts[2];
            } else if (line.isEmpty()) {
                return new HttpRequestHead(method, target, version, fields, lf + 1);
            } else {
                if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    throw new HttpFormatException("field", lineStart, "obsolete line folding", 400);
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !isToken(line.substring(0, colon))) {
                    throw new HttpFormatException("field", lineStart, "not NAME: VALUE", 400);
                }
                if (fields.size() >= MAX_FIELDS) {
                    throw new HttpFormatException("fields", lineStart, "more than " + MAX_FIELDS + " fields", 431);
                }
                fields.add(new Field(line.substring(0, colon), line.substring(colon + 1).strip()));
            }
            lineStart = lf + 1;
            pos = lineStart;
        }
    }

    private static void checkMethodPrefix(byte[] in, int from, int limit) throws HttpFormatException {
        for (int i = from; i < limit; i++) {
            byte b = in[i];
            if (b == ' ') return;
            if (!isTchar((char) (b & 0xFF))) {
                throw new HttpFormatException("method", i, "not a token character", 400);
            }
        }
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) return false;
        }
        return true;
    }

    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
