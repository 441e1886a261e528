package org.aivillage.betanet.utls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.utls.internal.TlsCodes;

/**
 * Origin calibration (Betanet 1.1 §5.1). {@link #probe} opens a mirrored TLS connection to the
 * front origin, records its ALPN choice, JA4S and key-exchange group, and when it speaks h2 sends
 * the client connection preface and reads the origin's SETTINGS frame. {@link #checkTemplate}
 * refuses a template the origin disagrees with; {@link #preflight} probes again and refuses any
 * deviation from a {@link CalibrationBaseline}. Every refusal is a {@link CalibrationMismatchException}.
 * Thread-safe; each call uses its own connection.
 */
public final class OriginCalibrator {
    /** The client SETTINGS sent in the probe's preface (Chromium's values: header table, push off, window, header list). */
    static final long[][] CLIENT_SETTINGS = {{1, 65536}, {2, 0}, {4, 6291456}, {6, 262144}};
    private static final int MAX_FRAME = 16384;

    private final ClientHelloTemplate template;
    private final X509TrustManager trust;
    private final Duration timeout;

    public OriginCalibrator(ClientHelloTemplate template, X509TrustManager trust, Duration timeout) {
        this.template = Objects.requireNonNull(template);
        this.trust = Objects.requireNonNull(trust);
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** Probes the origin once. */
    public OriginProfile probe(String host, int port, String serverName) throws IOException {
        try (UtlsConnection c = UtlsClient.connect(host, port, serverName, template, trust, timeout)) {
            Map<Integer, Long> settings = new LinkedHashMap<>();
            if (c.negotiatedAlpn().filter("h2"::equals).isPresent()) {
                c.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
                settings = readServerSettings(c);
            }
            return new OriginProfile(c.negotiatedAlpn(), settings, c.cipherSuite(), c.namedGroup(),
                    Fingerprints.ja4s(ServerHelloInfo.parse(c.serverHello())).ja4s(), c.helloRetryRequested(),
                    Instant.now());
        }
    }

    /**
     * Fails closed when the template and the origin disagree: the origin must select the template's
     * first ALPN protocol (so the h2 behaviour the template implies can be mirrored), and the
     * template must not advertise a post-quantum hybrid group the origin does not take.
     */
    public void checkTemplate(OriginProfile origin) throws CalibrationMismatchException {
        List<String> problems = new ArrayList<>();
        List<String> offered = template.alpnProtocols();
        if (!offered.isEmpty() && !origin.alpn().equals(java.util.Optional.of(offered.getFirst()))) {
            problems.add("template offers ALPN " + offered + " but the origin selected "
                    + origin.alpn().orElse("none"));
        }
        if (offered.isEmpty() && origin.alpn().isPresent()) {
            problems.add("origin selected ALPN " + origin.alpn().get() + " that the template does not offer");
        }
        if ("h2".equals(origin.alpn().orElse("")) && origin.h2Settings().isEmpty()) {
            problems.add("origin selected h2 but sent no SETTINGS");
        }
        boolean templatePq = template.supportedGroups().contains(TlsCodes.GROUP_X25519MLKEM768);
        if (templatePq && origin.namedGroup() != TlsCodes.GROUP_X25519MLKEM768) {
            problems.add(String.format("template advertises X25519MLKEM768 but the origin chose 0x%04x"
                    + " (Betanet 1.1 §5.1: do not advertise PQ groups the origin does not)", origin.namedGroup()));
        }
        if (!problems.isEmpty()) {
            throw new CalibrationMismatchException(problems);
        }
    }

    /** The per-connection pre-flight: probes and compares with {@code baseline}; returns the observation. */
    public OriginProfile preflight(String host, int port, String serverName, CalibrationBaseline baseline)
            throws IOException {
        OriginProfile observed = probe(host, port, serverName);
        List<String> problems = baseline.compare(observed);
        if (!problems.isEmpty()) {
            throw new CalibrationMismatchException(problems);
        }
        return observed;
    }

    /** Learns a baseline from {@code probes} probes (at least 1), checking the template against the origin first. */
    public CalibrationBaseline baseline(String host, int port, String serverName, int probes) throws IOException {
        List<OriginProfile> seen = new ArrayList<>();
        for (int i = 0; i < Math.max(1, probes); i++) {
            OriginProfile p = probe(host, port, serverName);
            checkTemplate(p);
            seen.add(p);
        }
        return CalibrationBaseline.of(seen);
    }

    private static Map<Integer, Long> readServerSettings(UtlsConnection c) throws IOException {
        OutputStream out = c.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] payload = new byte[CLIENT_SETTINGS.length * 6];
        for (int i = 0; i < CLIENT_SETTINGS.length; i++) {
            putSetting(payload, i * 6, (int) CLIENT_SETTINGS[i][0], CLIENT_SETTINGS[i][1]);
        }
        out.write(frameHeader(payload.length, 4, 0));
        out.write(payload);
        out.flush();
        InputStream in = c.getInputStream();
        byte[] h = in.readNBytes(9);
        if (h.length < 9) {
            throw new CalibrationMismatchException(List.of("origin closed before its HTTP/2 SETTINGS"));
        }
        int len = ((h[0] & 0xff) << 16) | ((h[1] & 0xff) << 8) | (h[2] & 0xff);
        int type = h[3] & 0xff;
        int flags = h[4] & 0xff;
        int stream = ((h[5] & 0x7f) << 24) | ((h[6] & 0xff) << 16) | ((h[7] & 0xff) << 8) | (h[8] & 0xff);
        if (type != 4 || (flags & 1) != 0 || stream != 0 || len % 6 != 0 || len > MAX_FRAME) {
            throw new CalibrationMismatchException(List.of("origin's first HTTP/2 frame is not a SETTINGS frame"
                    + " (type " + type + ", flags " + flags + ", stream " + stream + ", length " + len + ")"));
        }
        byte[] body = in.readNBytes(len);
        if (body.length < len) {
            throw new CalibrationMismatchException(List.of("origin closed inside its SETTINGS frame"));
        }
        Map<Integer, Long> settings = new LinkedHashMap<>();
        for (int i = 0; i < len; i += 6) {
            int id = ((body[i] & 0xff) << 8) | (body[i + 1] & 0xff);
            long v = ((long) (body[i + 2] & 0xff) << 24) | ((body[i + 3] & 0xff) << 16) | ((body[i + 4] & 0xff) << 8)
                    | (body[i + 5] & 0xff);
            settings.put(id, v);
        }
        // SETTINGS ACK, then GOAWAY(last stream 0, NO_ERROR): a polite, complete h2 exchange.
        out.write(frameHeader(0, 4, 1));
        out.write(frameHeader(8, 7, 0));
        out.write(new byte[8]);
        out.flush();
        return settings;
    }

    private static byte[] frameHeader(int length, int type, int flags) {
        return new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags, 0, 0,
            0, 0};
    }

    private static void putSetting(byte[] b, int off, int id, long v) {
        b[off] = (byte) (id >>> 8);
        b[off + 1] = (byte) id;
        b[off + 2] = (byte) (v >>> 24);
        b[off + 3] = (byte) (v >>> 16);
        b[off + 4] = (byte) (v >>> 8);
        b[off + 5] = (byte) v;
    }
}
