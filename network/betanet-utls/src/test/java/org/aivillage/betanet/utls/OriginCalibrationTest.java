package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aivillage.betanet.utls.support.Nginx;
import org.aivillage.betanet.utls.support.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Origin calibration against nginx (HTTP/2 over TLS 1.3) on loopback, and the baseline rules. */
class OriginCalibrationTest {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static TestPki pki;
    static Path dir;
    static Nginx nginx;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("utls-cal");
        pki = new TestPki();
        nginx = new Nginx(dir.resolve("nginx"), pki.issue(TestPki.ec("secp256r1"), dir, "utls.test"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    OriginCalibrator calibrator(String template) throws Exception {
        return new OriginCalibrator(ClientHelloTemplate.builtin(template), pki.trust(), TIMEOUT);
    }

    @Test
    void probeReadsAlpnAndTheOriginsHttp2Settings() throws Exception {
        OriginProfile p = calibrator("openssl").probe("127.0.0.1", nginx.h2Port, "utls.test");
        assertThat(p.alpn()).contains("h2");
        assertThat(p.h2Settings()).containsEntry(OriginProfile.MAX_CONCURRENT_STREAMS, 100L);
        assertThat(p.h2Settings()).containsKey(OriginProfile.INITIAL_WINDOW_SIZE);
        assertThat(p.ja4s()).startsWith("t13");
    }

    @Test
    void matchingTemplateGetsABaselineAndPassesPreflight() throws Exception {
        OriginCalibrator cal = calibrator("openssl");
        CalibrationBaseline baseline = cal.baseline("127.0.0.1", nginx.h2Port, "utls.test", 2);
        OriginProfile again = cal.preflight("127.0.0.1", nginx.h2Port, "utls.test", baseline);
        assertThat(again.h2Settings()).containsEntry(OriginProfile.MAX_CONCURRENT_STREAMS, 100L);
    }

    @Test
    void preflightAgainstADifferentOriginFailsClosed() throws Exception {
        OriginCalibrator cal = calibrator("openssl");
        CalibrationBaseline baseline = cal.baseline("127.0.0.1", nginx.h2Port, "utls.test", 1);
        assertThatThrownBy(() -> cal.preflight("127.0.0.1", nginx.h2AltPort, "utls.test", baseline))
                .isInstanceOf(CalibrationMismatchException.class)
                .hasMessageContaining("SETTING 3 = 64 outside baseline value 100");
    }

    @Test
    void originWithoutH2FailsClosedForAnH2Template() throws Exception {
        OriginCalibrator cal = calibrator("openssl");
        assertThatThrownBy(() -> cal.baseline("127.0.0.1", nginx.h1Port, "utls.test", 1))
                .isInstanceOf(CalibrationMismatchException.class)
                .hasMessageContaining("origin selected http/1.1");
    }

    @Test
    void pqTemplateAgainstAClassicalOriginFailsClosed() throws Exception {
        OriginCalibrator cal = calibrator("chromium");
        OriginProfile p = cal.probe("127.0.0.1", nginx.h2Port, "utls.test");
        assertThat(p.namedGroup()).isEqualTo(0x001d);
        assertThatThrownBy(() -> cal.checkTemplate(p))
                .isInstanceOf(CalibrationMismatchException.class)
                .hasMessageContaining("X25519MLKEM768");
    }

    static OriginProfile profile(Map<Integer, Long> settings) {
        return new OriginProfile(Optional.of("h2"), settings, 0x1302, 0x1d, "t130200_1302_234ea6891581", false,
                Instant.EPOCH);
    }

    static Map<Integer, Long> settings(long... kv) {
        Map<Integer, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((int) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void varyingSettingsGetFifteenPercentFixedOnesMustMatchExactly() throws Exception {
        CalibrationBaseline b = CalibrationBaseline.of(List.of(profile(settings(3, 100, 4, 60000)),
                profile(settings(3, 100, 4, 70000))));
        assertThat(b.compare(profile(settings(3, 100, 4, 80000)))).isEmpty(); // 70000 * 1.15 = 80500
        assertThat(b.compare(profile(settings(3, 100, 4, 51000)))).isEmpty(); // 60000 * 0.85 = 51000
        assertThat(b.compare(profile(settings(3, 100, 4, 81000)))).hasSize(1);
        assertThat(b.compare(profile(settings(3, 101, 4, 65000)))).singleElement().asString().contains("SETTING 3");
        assertThat(b.compare(profile(settings(4, 65000, 3, 100)))).singleElement().asString().contains("identifiers");
        OriginProfile otherAlpn = new OriginProfile(Optional.of("http/1.1"), settings(3, 100, 4, 65000), 0x1302, 0x1d,
                "t130200_1302_234ea6891581", false, Instant.EPOCH);
        assertThat(b.compare(otherAlpn)).singleElement().asString().contains("ALPN");
    }

    @Test
    void probesThatDisagreeCannotFormABaseline() {
        assertThatThrownBy(() -> CalibrationBaseline.of(List.of(profile(settings(3, 100)), profile(settings(4, 100)))))
                .isInstanceOf(CalibrationMismatchException.class);
    }
}
