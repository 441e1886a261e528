package org.aivillage.betanet.htx.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.aivillage.betanet.htx.TicketCarrier;

/**
 * Putting a ticket into, and finding it in, the client's first HTTP request: cookie
 * {@code __Host-bn1=}, query {@code bn1=}, or form body {@code bn1=}.
 */
public final class TicketCarriers {
    public static final String COOKIE_NAME = "__Host-bn1";
    public static final String PARAM_NAME = "bn1";
    /** Largest form body the server reads while looking for a ticket. */
    public static final int MAX_FORM_BODY = 4096;

    private TicketCarriers() {}

    /** One ticket value found, and in which carrier. */
    public record Found(TicketCarrier carrier, String value) {}

    /** Every ticket value in the request (0, 1 or several). */
    public static List<Found> find(HttpRequestHead head, byte[] body) {
        List<Found> out = new ArrayList<>();
        for (String cookieLine : head.fieldValues("Cookie")) {
            for (String pair : cookieLine.split(";", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0) continue;
                String name = pair.substring(0, eq).strip();
                if (name.equals(COOKIE_NAME) || name.equals(PARAM_NAME)) {
                    out.add(new Found(TicketCarrier.COOKIE, unquote(pair.substring(eq + 1).strip())));
                }
            }
        }
        String query = head.query();
        if (query != null) {
            for (String v : formValues(query, PARAM_NAME)) {
                out.add(new Found(TicketCarrier.QUERY, v));
            }
        }
        if (body != null && isForm(head)) {
            for (String v : formValues(new String(body, StandardCharsets.ISO_8859_1), PARAM_NAME)) {
                out.add(new Found(TicketCarrier.BODY, v));
            }
        }
        return out;
    }

    /** Whether the request may carry a ticket in a form body the server should read. */
    public static boolean isForm(HttpRequestHead head) {
        String ct = head.field("Content-Type");
        return head.method().equals("POST") && ct != null
                && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static List<String> formValues(String form, String name) {
        List<String> out = new ArrayList<>();
        for (String pair : form.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                out.add(percentDecode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    /** Minimal percent-decoding (a Base64URL value needs at most %3D); malformed escapes stay as they are. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    sb.append((char) (hi << 4 | lo));
                    i += 2;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * The client's first request carrying {@code ticket} (Base64URL) in {@code carrier}.
     *
     * @param extraFields browser-like header lines ("Name: value") sent after Host
     */
    public static byte[] buildRequest(TicketCarrier carrier, String ticket, String host, String path, List<String> extraFields) {
        StringBuilder sb = new StringBuilder(512);
        String target = path;
        if (carrier == TicketCarrier.QUERY) {
            target = path + (path.contains("?") ? "&" : "?") + PARAM_NAME + "=" + ticket;
        }
        sb.append(carrier == TicketCarrier.BODY ? "POST " : "GET ").append(target).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host).append("\r\n");
        for (String f : extraFields) {
            sb.append(f).append("\r\n");
        }
        if (carrier == TicketCarrier.COOKIE) {
            sb.append("Cookie: ").append(COOKIE_NAME).append('=').append(ticket).append("\r\n");
        }
        byte[] body = new byte[0];
        if (carrier == TicketCarrier.BODY) {
            body = (PARAM_NAME + "=" + ticket).getBytes(StandardCharsets.US_ASCII);
            sb.append("Content-Type: application/x-www-form-urlencoded\r\n");
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(sb.length() + body.length);
        out.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }
}
