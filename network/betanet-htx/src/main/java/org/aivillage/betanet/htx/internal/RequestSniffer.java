package org.aivillage.betanet.htx.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the client's first HTTP request (head, and a small form body) to look for an access
 * ticket, keeping every byte read so the connection can be handed to the decoy unchanged.
 * Reads at most {@link HttpRequestHead#MAX_HEAD} + {@link TicketCarriers#MAX_FORM_BODY} bytes.
 */
public final class RequestSniffer {

    /**
     * What was read: {@code bytes[0, length)} in arrival order. When the request was complete,
     * {@code requestLength} bytes of it are the request (head + body) and {@code carriers} lists
     * the ticket values found; otherwise {@code head} is null.
     */
    public record Sniffed(byte[] bytes, int length, HttpRequestHead head, int requestLength, List<TicketCarriers.Found> carriers) {
        public boolean complete() {
            return head != null;
        }
    }

    private RequestSniffer() {}

    public static Sniffed sniff(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        int len = 0;
        HttpRequestHead head = null;
        try {
            while (head == null) {
                if (len == buf.length) {
                    if (buf.length >= HttpRequestHead.MAX_HEAD) {
                        return new Sniffed(buf, len, null, 0, List.of());
                    }
                    buf = Arrays.copyOf(buf, Math.min(buf.length * 2, HttpRequestHead.MAX_HEAD));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    return new Sniffed(buf, len, null, 0, List.of());
                }
                len += n;
                try {
                    head = HttpRequestHead.parse(buf, len);
                } catch (HttpFormatException e) {
                    return new Sniffed(buf, len, null, 0, List.of());
                }
            }
            byte[] body = null;
            int requestLength = head.headLength();
            long contentLength;
            try {
                contentLength = head.contentLength();
            } catch (HttpFormatException e) {
                return new Sniffed(buf, len, null, 0, List.of());
            }
            if (TicketCarriers.isForm(head) && !head.hasTransferEncoding()
                    && contentLength > 0 && contentLength <= TicketCarriers.MAX_FORM_BODY) {
                int need = head.headLength() + (int) contentLength;
                if (buf.length < need) {
                    buf = Arrays.copyOf(buf, need);
                }
                while (len < need) {
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) {
                        return new Sniffed(buf, len, null, 0, List.of());
                    }
                    len += n;
                }
                body = Arrays.copyOfRange(buf, head.headLength(), need);
                requestLength = need;
            } else if (contentLength > 0 || head.hasTransferEncoding()) {
                // A body we do not read: this request cannot switch to HTX; the decoy handles it.
                return new Sniffed(buf, len, head, head.headLength(), List.of());
            }
            return new Sniffed(buf, len, head, requestLength, TicketCarriers.find(head, body));
        } catch (SocketTimeoutException e) {
            return new Sniffed(buf, len, null, 0, List.of());
        }
    }
}
