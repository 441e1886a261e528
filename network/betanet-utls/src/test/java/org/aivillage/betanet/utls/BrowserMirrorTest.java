package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.aivillage.betanet.utls.support.Browsers;
import org.aivillage.betanet.utls.internal.TlsCodes;
import org.junit.jupiter.api.Test;

/**
 * Headless Debian Chromium and Firefox ESR connect to a local listener; their live ClientHellos
 * must fingerprint exactly like hellos built from the shipped templates (same JA4, same cipher,
 * extension, group, key-share, signature-algorithm, version and ALPN lists). A browser update
 * that changes its fingerprint fails here: recapture the template with {@code village utlsgen capture}.
 */
class BrowserMirrorTest {

    static List<Integer> noGrease(List<Integer> l) {
        return l.stream().filter(v -> !Grease.is(v)).toList();
    }

    static void assertMirrors(ClientHelloTemplate template, List<byte[]> live) throws Exception {
        assertThat(live).as("ClientHellos captured from the browser").isNotEmpty();
        for (byte[] real : live) {
            ClientHelloInfo r = ClientHelloInfo.parse(real);
            ClientHelloInfo ours = ClientHelloInfo.parse(template.sampleClientHello(Browsers.HOST));
            assertThat(Fingerprints.ja4(ours).ja4()).isEqualTo(Fingerprints.ja4(r).ja4());
            assertThat(Fingerprints.ja4(ours).ja4r()).isEqualTo(Fingerprints.ja4(r).ja4r());
            assertThat(noGrease(ours.cipherSuites())).isEqualTo(noGrease(r.cipherSuites()));
            assertThat(new HashSet<>(noGrease(ours.extensionTypes()))).isEqualTo(new HashSet<>(noGrease(r.extensionTypes())));
            assertThat(ours.extensionTypes().size()).isEqualTo(r.extensionTypes().size());
            assertThat(noGrease(ours.supportedGroups())).isEqualTo(noGrease(r.supportedGroups()));
            assertThat(ours.keyShareGroups().stream().map(g -> Grease.is(g) ? -1 : g).toList())
                    .isEqualTo(r.keyShareGroups().stream().map(g -> Grease.is(g) ? -1 : g).toList());
            assertThat(noGrease(ours.signatureAlgorithms())).isEqualTo(noGrease(r.signatureAlgorithms()));
            assertThat(noGrease(ours.supportedVersions())).isEqualTo(noGrease(r.supportedVersions()));
            assertThat(ours.alpnProtocols()).isEqualTo(r.alpnProtocols());
            assertThat(ours.certificateCompressionAlgorithms()).isEqualTo(r.certificateCompressionAlgorithms());
            assertThat(ours.ecPointFormats()).isEqualTo(r.ecPointFormats());
            assertThat(ours.sessionId().length).isEqualTo(r.sessionId().length);
            assertThat(ours.legacyVersion()).isEqualTo(r.legacyVersion());
            assertThat(real[1] << 8 | real[2]).isEqualTo(template.recordVersion());
            for (TlsExtension e : r.extensions()) {
                if (template.extension(TemplateExtension.Opaque.class).isPresent()) {
                    template.extensions().stream()
                            .filter(t -> t instanceof TemplateExtension.Opaque o && o.code() == e.type())
                            .forEach(t -> assertThat(((TemplateExtension.Opaque) t).data())
                                    .as("fixed body of extension 0x%04x", e.type()).isEqualTo(e.data()));
                }
                if (e.type() == TlsCodes.EXT_ECH) {
                    int payload = e.data().length - 42;
                    assertThat(template.extension(TemplateExtension.EchGrease.class).orElseThrow().payloadLengths())
                            .contains(payload);
                }
            }
        }
        ClientHelloTemplate inferred = ClientHelloTemplate.fromCaptures(template.name(), template.description(), live);
        assertThat(inferred.cipherSuites()).isEqualTo(template.cipherSuites());
        assertThat(new HashSet<>(inferred.extensionTypes())).isEqualTo(new HashSet<>(template.extensionTypes()));
        if (live.size() > 2) {
            assertThat(inferred.permuteExtensions()).isEqualTo(template.permuteExtensions());
        }
    }

    @Test
    void chromiumTemplateMirrorsLiveChromium() throws Exception {
        List<byte[]> live = Browsers.captureChromium(4, Duration.ofSeconds(60));
        assertMirrors(ClientHelloTemplate.builtin("chromium"), live);
    }

    @Test
    void firefoxTemplateMirrorsLiveFirefoxEsr() throws Exception {
        List<byte[]> live = Browsers.captureFirefox(2, Duration.ofSeconds(90));
        assertMirrors(ClientHelloTemplate.builtin("firefox-esr"), live);
    }
}
