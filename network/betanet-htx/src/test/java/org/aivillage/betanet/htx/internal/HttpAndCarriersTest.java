package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import static org.quicktheories.generators.SourceDSL.strings;

import org.aivillage.betanet.htx.Props;
import org.aivillage.testkit.Gens;
import org.aivillage.betanet.htx.TicketCarrier;
import org.junit.jupiter.api.Test;

class HttpAndCarriersTest {

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesARequestHeadAndReportsIncomplete() throws Exception {
        byte[] req = ascii("GET /a/b?x=1&bn1=abc HTTP/1.1\r\nHost: example.com\r\nCookie: a=b; __Host-bn1=zzz\r\n\r\nrest");
        HttpRequestHead h = HttpRequestHead.parse(req, req.length);
        assertThat(h.method()).isEqualTo("GET");
        assertThat(h.path()).isEqualTo("/a/b");
        assertThat(h.query()).isEqualTo("x=1&bn1=abc");
        assertThat(h.field("host")).isEqualTo("example.com");
        assertThat(h.headLength()).isEqualTo(req.length - 4);
        assertThat(HttpRequestHead.parse(req, 20)).isNull();
        assertThat(TicketCarriers.find(h, null)).extracting(TicketCarriers.Found::carrier)
                .containsExactlyInAnyOrder(TicketCarrier.COOKIE, TicketCarrier.QUERY);
    }

    @Test
    void rejectsMalformedHeadsWithAStatus() {
        assertThatThrownBy(() -> HttpRequestHead.parse(ascii("\u0016\u0003\u0001"), 3)).isInstanceOf(HttpFormatException.class);
        assertThatThrownBy(() -> HttpRequestHead.parse(ascii("GET / HTTP/2.0\r\n\r\n"), 18))
                .isInstanceOfSatisfying(HttpFormatException.class, e -> assertThat(e.status()).isEqualTo(505));
        assertThatThrownBy(() -> HttpRequestHead.parse(ascii("GET / HTTP/1.1\r\n folded\r\n\r\n"), 27))
                .hasMessageContaining("folding");
        byte[] huge = new byte[HttpRequestHead.MAX_HEAD];
        java.util.Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> HttpRequestHead.parse(huge, huge.length))
                .isInstanceOfSatisfying(HttpFormatException.class, e -> assertThat(e.status()).isEqualTo(414));
    }

    @Test
    void randomBytesNeverCrashTheHeadParser() {
        Props.forAll(5000, Gens.bytes(120), bytes -> {
        try {
            HttpRequestHead h = HttpRequestHead.parse(bytes, bytes.length);
            if (h != null) {
                h.contentLength();
                TicketCarriers.find(h, bytes);
            }
        } catch (HttpFormatException expected) {
            assertThat(expected.getMessage()).contains("at offset");
        }
        });
    }

    @Test
    void textualRequestsNeverCrashEither() {
        Props.forAll(1000, strings().allPossible().ofLengthBetween(0, 60).zip(strings().ascii().ofLengthBetween(0, 60), (a, b) -> new String[] {a, b}),
                p -> textualRequest(p[0], p[1]));
    }

    private static void textualRequest(String target, String value) throws Exception {
        byte[] req = ascii("POST /" + target + " HTTP/1.1\r\nContent-Length: " + value + "\r\nCookie: " + value + "\r\n\r\n");
        try {
            HttpRequestHead h = HttpRequestHead.parse(req, req.length);
            if (h != null) {
                h.contentLength();
                TicketCarriers.find(h, ascii(value));
            }
        } catch (HttpFormatException expected) {
            assertThat(expected.getMessage()).contains("at offset");
        }
    }

    @Test
    void builtRequestsCarryTheTicketInExactlyOneCarrier() throws Exception {
        for (TicketCarrier c : TicketCarrier.values()) {
            byte[] req = TicketCarriers.buildRequest(c, "dGlja2V0", "example.com", "/", List.of("Accept: */*"));
            RequestSniffer.Sniffed s = RequestSniffer.sniff(new ByteArrayInputStream(concat(req, ascii("NOISE"))));
            assertThat(s.complete()).isTrue();
            assertThat(s.requestLength()).isEqualTo(req.length);
            assertThat(s.carriers()).containsExactly(new TicketCarriers.Found(c, "dGlja2V0"));
        }
    }

    @Test
    void snifferKeepsEveryByteOfWhatItCouldNotParse() throws Exception {
        byte[] junk = ascii("\u0000\u0001garbage that is not http");
        RequestSniffer.Sniffed s = RequestSniffer.sniff(new ByteArrayInputStream(junk));
        assertThat(s.complete()).isFalse();
        assertThat(java.util.Arrays.copyOf(s.bytes(), s.length())).isEqualTo(junk);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
