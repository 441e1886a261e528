package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

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

    @Test
    void randomBytesNeverCrashTheHelloParsersOrFingerprints() {
        qt().withExamples(2000).forAll(Gens.bytes(600)).checkAssert(bytes -> {
            onlyDecodeErrors(() -> Fingerprints.ja4(bytes));
            onlyDecodeErrors(() -> Fingerprints.ja3(bytes));
            onlyDecodeErrors(() -> Fingerprints.ja4s(bytes));
            onlyDecodeErrors(() -> ClientHelloInfo.parse(bytes));
            onlyDecodeErrors(() -> ServerHelloInfo.parse(bytes));
        });
    }

    @Test
    void randomBytesWithAHelloHeaderNeverCrash() {
        qt().withExamples(1000).forAll(Gens.bytes(400), booleans().all()).checkAssert(this::helloHeaderCase);
    }

    private void helloHeaderCase(byte[] body, boolean asRecord) {
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

    @Test
    void mutatedRealHellosNeverCrash() {
        qt().withExamples(300).forAll(Generate.pick(ClientHelloTemplate.BUILTIN), integers().between(0, 2100),
                integers().between(-128, 127), integers().between(0, 2100))
                .checkAssert((name, at, value, cut) -> mutatedHelloCase(name, at, (byte) (int) value, cut));
    }

    private void mutatedHelloCase(String name, int at, byte value, int cut) {
        byte[] hello = ClientHelloTemplate.builtin(name).sampleClientHello("utls.test");
        byte[] mutated = hello.clone();
        mutated[at % mutated.length] = value;
        byte[] truncated = java.util.Arrays.copyOf(mutated, Math.min(cut, mutated.length));
        onlyDecodeErrors(() -> Fingerprints.ja4(mutated));
        onlyDecodeErrors(() -> Fingerprints.ja4(truncated));
        onlyDecodeErrors(() -> ClientHelloTemplate.fromCaptures("x", "", List.of(mutated)));
    }

    @Test
    void randomTextNeverCrashesTheTemplateDecoder() {
        qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 300)).checkAssert(text -> {
            onlyDecodeErrors(() -> ClientHelloTemplate.fromJson(text));
            onlyDecodeErrors(() -> ClientHelloTemplate.fromJson("{\"name\":\"x\",\"recordVersion\":\"" + text + "\"}"));
        });
    }

    @Test
    void templateJsonRoundTrips() {
        qt().withExamples(200).forAll(randomTemplates()).checkAssert(t -> {
            try {
                assertThat(ClientHelloTemplate.fromJson(t.toJson())).isEqualTo(t);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void builtHellosParseBackToTheTemplate() {
        qt().withExamples(200).forAll(randomTemplates()).checkAssert(t -> {
            try {
                helloParsesBack(t);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void helloParsesBack(ClientHelloTemplate t) throws Exception {
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

    private static Gen<ClientHelloTemplate> randomTemplates() {
        Gen<Integer> code = integers().between(1, 0xffff).assuming(c -> !Grease.is(c));
        Gen<List<Integer>> ciphers = lists().of(Generate.frequency(List.of(
                org.quicktheories.api.Pair.of(9, code), org.quicktheories.api.Pair.of(1, Generate.constant(Grease.PLACEHOLDER)))))
                .ofSizeBetween(1, 20);
        Gen<List<Integer>> groups = lists().of(Generate.pick(List.of(0x001d, 0x0017, 0x0018, 0x0019, 0x11ec, Grease.PLACEHOLDER)))
                .ofSizeBetween(1, 4).map(l -> new ArrayList<>(new LinkedHashSet<>(l)));
        Gen<List<String>> alpn = lists().of(strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 10)).ofSizeBetween(1, 3);
        Gen<byte[]> opaque = Gens.bytes(20);
        Gen<Boolean> permutes = booleans().all();
        Gen<Integer> sessionIds = Generate.pick(List.of(0, 32));
        return ciphers.zip(groups, alpn, (cs, gs, protocols) -> List.<Object>of(cs, gs, protocols))
                .zip(opaque, permutes, sessionIds, (first, data, permute, sid) -> template(first, data, permute, sid));
    }

    @SuppressWarnings("unchecked")
    private static ClientHelloTemplate template(List<Object> first, byte[] data, boolean permute, int sid) {
        List<Integer> cs = (List<Integer>) first.get(0);
        List<Integer> gs = (List<Integer>) first.get(1);
        List<String> protocols = (List<String>) first.get(2);
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
    }
}
