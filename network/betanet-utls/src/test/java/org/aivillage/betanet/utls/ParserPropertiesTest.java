package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Codecs never crash on hostile input (only TlsDecodeException) and round-trip what they encode. */
class ParserPropertiesTest {

    static void onlyDecodeErrors(ThrowingRunnable r) {
        try {
            r.run();
        } catch (TlsDecodeException expected) {
            assertThat(expected.getMessage()).contains(expected.field());
        } catch (Exception | Error e) {
            throw new AssertionError("decoder failed with " + e, e);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Property(tries = 2000)
    void randomBytesNeverCrashTheHelloParsersOrFingerprints(@ForAll @Size(max = 600) byte[] bytes) {
        onlyDecodeErrors(() -> Fingerprints.ja4(bytes));
        onlyDecodeErrors(() -> Fingerprints.ja3(bytes));
        onlyDecodeErrors(() -> Fingerprints.ja4s(bytes));
        onlyDecodeErrors(() -> ClientHelloInfo.parse(bytes));
        onlyDecodeErrors(() -> ServerHelloInfo.parse(bytes));
    }

    @Property(tries = 1000)
    void randomBytesWithAHelloHeaderNeverCrash(@ForAll @Size(max = 400) byte[] body, @ForAll boolean asRecord) {
        byte[] hs = new byte[4 + body.length];
        hs[0] = 1;
        hs[1] = (byte) (body.length >>> 16);
        hs[2] = (byte) (body.length >>> 8);
        hs[3] = (byte) body.length;
        System.arraycopy(body, 0, hs, 4, body.length);
        byte[] in = asRecord ? org.aivillage.betanet.utls.internal.HelloBuilder.records(0x0301, hs) : hs;
        onlyDecodeErrors(() -> Fingerprints.ja4(in));
        onlyDecodeErrors(() -> Fingerprints.ja3(in));
    }

    @Property(tries = 300)
    void mutatedRealHellosNeverCrash(@ForAll("templates") String name, @ForAll @IntRange(min = 0, max = 2100) int at,
            @ForAll byte value, @ForAll @IntRange(min = 0, max = 2100) int cut) {
        byte[] hello = ClientHelloTemplate.builtin(name).sampleClientHello("utls.test");
        byte[] mutated = hello.clone();
        mutated[at % mutated.length] = value;
        byte[] truncated = java.util.Arrays.copyOf(mutated, Math.min(cut, mutated.length));
        onlyDecodeErrors(() -> Fingerprints.ja4(mutated));
        onlyDecodeErrors(() -> Fingerprints.ja4(truncated));
        onlyDecodeErrors(() -> ClientHelloTemplate.fromCaptures("x", "", List.of(mutated)));
    }

    @Property(tries = 500)
    void randomTextNeverCrashesTheTemplateDecoder(@ForAll @Size(max = 300) String text) {
        onlyDecodeErrors(() -> ClientHelloTemplate.fromJson(text));
        onlyDecodeErrors(() -> ClientHelloTemplate.fromJson("{\"name\":\"x\",\"recordVersion\":\"" + text + "\"}"));
    }

    @Property(tries = 200)
    void templateJsonRoundTrips(@ForAll("randomTemplates") ClientHelloTemplate t) throws Exception {
        assertThat(ClientHelloTemplate.fromJson(t.toJson())).isEqualTo(t);
    }

    @Property(tries = 200)
    void builtHellosParseBackToTheTemplate(@ForAll("randomTemplates") ClientHelloTemplate t) throws Exception {
        ClientHelloInfo ch = ClientHelloInfo.parse(t.sampleClientHello("host.example"));
        assertThat(ch.cipherSuites().stream().map(c -> Grease.is(c) ? Grease.PLACEHOLDER : c).toList())
                .isEqualTo(t.cipherSuites());
        assertThat(ch.alpnProtocols()).isEqualTo(t.alpnProtocols());
        ClientHelloTemplate back = ClientHelloTemplate.fromCaptures(t.name(), t.description(),
                List.of(t.sampleClientHello("host.example")));
        assertThat(back.cipherSuites()).isEqualTo(t.cipherSuites());
        assertThat(back.supportedGroups()).isEqualTo(t.supportedGroups());
        assertThat(back.signatureAlgorithms()).isEqualTo(t.signatureAlgorithms());
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of(ClientHelloTemplate.BUILTIN);
    }

    @Provide
    Arbitrary<ClientHelloTemplate> randomTemplates() {
        Arbitrary<Integer> code = Arbitraries.integers().between(1, 0xffff).filter(c -> !Grease.is(c));
        Arbitrary<List<Integer>> ciphers = Arbitraries.oneOf(code, Arbitraries.just(Grease.PLACEHOLDER)).list()
                .ofMinSize(1).ofMaxSize(20);
        Arbitrary<List<Integer>> groups = Arbitraries.of(0x001d, 0x0017, 0x0018, 0x0019, 0x11ec, Grease.PLACEHOLDER)
                .list().ofMinSize(1).ofMaxSize(4).uniqueElements();
        Arbitrary<List<String>> alpn = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).list().ofMinSize(1)
                .ofMaxSize(3);
        Arbitrary<byte[]> opaque = Arbitraries.bytes().array(byte[].class).ofMaxSize(20);
        return Combinators.combine(ciphers, groups, alpn, opaque, Arbitraries.of(true, false), Arbitraries.of(0, 32))
                .as((cs, gs, protocols, data, permute, sid) -> {
                    List<Integer> shares = gs.stream().limit(2).toList();
                    List<TemplateExtension> exts = List.of(
                            new TemplateExtension.GreaseSlot(0),
                            new TemplateExtension.ServerName(),
                            new TemplateExtension.SupportedGroups(gs),
                            new TemplateExtension.KeyShare(shares),
                            new TemplateExtension.SignatureAlgorithms(List.of(Grease.PLACEHOLDER, 0x0403, 0x0804)),
                            new TemplateExtension.Alpn(protocols),
                            new TemplateExtension.SupportedVersions(List.of(Grease.PLACEHOLDER, 0x0304)),
                            new TemplateExtension.CompressCertificate(List.of(2)),
                            new TemplateExtension.ApplicationSettings(0x44cd, List.of("h2")),
                            new TemplateExtension.EchGrease(1, List.of(1, 3), List.of(144, 176)),
                            new TemplateExtension.Opaque(0xff01, new byte[1]),
                            new TemplateExtension.Opaque(0x7777, data),
                            new TemplateExtension.Padding(),
                            new TemplateExtension.GreaseSlot(1));
                    return new ClientHelloTemplate("random", "generated", 0x0301, 0x0303, sid, cs, List.of(0), exts,
                            permute);
                });
    }
}
