package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.aivillage.betanet.utls.support.ExternalTool;
import org.aivillage.betanet.utls.support.Pcap;
import org.junit.jupiter.api.Test;

/**
 * Wireshark's dissector (tshark from Debian) as an independent decoder of the ClientHellos we
 * build: no malformed fields, no expert warnings or errors, and its JA3 and field lists equal ours.
 */
class TsharkDecodeTest {

    static List<String> tshark(Path pcap, String... args) throws Exception {
        String tshark = ExternalTool.require("tshark", "tshark");
        List<String> cmd = new ArrayList<>(List.of(tshark, "-n", "-r", pcap.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark exit status").isZero();
        return new String(out, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void tsharkDecodesOurHellosCleanlyAndAgreesOnTheirFields() throws Exception {
        List<byte[]> hellos = new ArrayList<>();
        for (String name : ClientHelloTemplate.BUILTIN) {
            for (int i = 0; i < 3; i++) {
                hellos.add(ClientHelloTemplate.builtin(name).sampleClientHello("utls.test"));
            }
        }
        Path pcap = Files.createTempFile("utls-hellos", ".pcap");
        try {
            Files.write(pcap, Pcap.tlsClientStreams(hellos));
            List<String> problems = tshark(pcap, "-Y", "_ws.malformed or _ws.expert.severity >= 6291456", "-T", "fields",
                    "-e", "frame.number", "-e", "_ws.expert.message");
            assertThat(problems).as("malformed fields or expert warnings/errors").isEmpty();

            List<String> rows = tshark(pcap, "-Y", "tls.handshake.type == 1", "-T", "fields", "-E", "separator=|",
                    "-E", "aggregator=,", "-e", "tls.handshake.ja3_full", "-e", "tls.handshake.ja3",
                    "-e", "tls.handshake.ciphersuite", "-e", "tls.handshake.extension.type",
                    "-e", "tls.handshake.extensions_server_name", "-e", "tls.handshake.extensions_alpn_str",
                    "-e", "tls.handshake.sig_hash_alg");
            assertThat(rows).hasSize(hellos.size());
            for (int i = 0; i < rows.size(); i++) {
                String[] f = rows.get(i).split("\\|", -1);
                ClientHelloInfo ch = ClientHelloInfo.parse(hellos.get(i));
                Fingerprints.Ja3 ja3 = Fingerprints.ja3(ch);
                assertThat(f[0]).isEqualTo(ja3.text());
                assertThat(f[1]).isEqualTo(ja3.hash());
                assertThat(f[2]).isEqualTo(ch.cipherSuites().stream().map(v -> String.format("0x%04x", v)).collect(Collectors.joining(",")));
                assertThat(f[3]).isEqualTo(ch.extensionTypes().stream().map(String::valueOf).collect(Collectors.joining(",")));
                assertThat(f[4]).isEqualTo("utls.test");
                assertThat(f[5]).isEqualTo(String.join(",", ch.alpnProtocols()));
                // tshark aggregates every signature list (delegated_credentials' too), so ours is a run within it
                assertThat(f[6]).contains(ch.signatureAlgorithms().stream().map(v -> String.format("0x%04x", v))
                        .collect(Collectors.joining(",")));
            }
        } finally {
            Files.deleteIfExists(pcap);
        }
    }
}
