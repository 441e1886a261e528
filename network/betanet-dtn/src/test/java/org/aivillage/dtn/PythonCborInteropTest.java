package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles written here decode with an independent CBOR decoder (Debian's python3-cbor2) into the
 * RFC 9171 structure, with CRCs recomputed in Python. Needs /usr/bin/python3 with cbor2 (.ci/run
 * installs python3-cbor2); the test fails when it is missing.
 */
class PythonCborInteropTest {
    @TempDir
    Path dir;

    @Test
    void bundlesDecodeWithPythonCbor2() throws Exception {
        List<Bundle> bundles = new ArrayList<>();
        bundles.add(Bundle.builder().source(EndpointId.parse("dtn://alpha/app")).destination(EndpointId.parse("dtn://beta/inbox"))
                .creationTimestamp(new CreationTimestamp(802_000_000_000L, 7)).lifetimeMillis(3_600_000)
                .deliveryReceiptRequested(true).hopLimit(16).priority(2).crcType(CrcType.CRC32C)
                .payload("hello over dtn".getBytes(StandardCharsets.UTF_8)).build());
        bundles.add(Bundle.builder().source(EndpointId.ipn(977, 1)).destination(EndpointId.ipn(12, 7))
                .crcType(CrcType.CRC16).payload(new byte[1024]).build());
        Bundle big = Bundle.builder().source(EndpointId.parse("dtn://alpha/f")).destination(EndpointId.parse("dtn://beta/f"))
                .creationTimestamp(new CreationTimestamp(5, 5)).payload(new byte[2500]).build();
        bundles.addAll(Fragmentation.fragment(big, 1000));
        BundleId subject = BundleId.whole(EndpointId.parse("dtn://alpha/app"), new CreationTimestamp(802_000_000_000L, 7));
        byte[] report = AdministrativeRecord.encode(new AdministrativeRecord.StatusReport(
                AdministrativeRecord.Assertion.NO, AdministrativeRecord.Assertion.NO,
                AdministrativeRecord.Assertion.at(802_000_000_500L, true), AdministrativeRecord.Assertion.NO,
                StatusReason.NO_ADDITIONAL_INFORMATION, subject));
        bundles.add(Bundle.builder().source(EndpointId.parse("dtn://beta/")).destination(EndpointId.parse("dtn://alpha/"))
                .creationTimestamp(new CreationTimestamp(802_000_000_600L, 0)).flags(BundleFlags.ADMINISTRATIVE_RECORD)
                .payload(report).build());

        List<String> args = new ArrayList<>(List.of("/usr/bin/python3", script().toString()));
        for (int i = 0; i < bundles.size(); i++) {
            Path f = dir.resolve("b" + i + ".bundle");
            Files.write(f, BundleCodec.encode(bundles.get(i)));
            args.add(f.toString());
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            results.add(json.readTree(line));
        }
        assertThat(results).hasSize(bundles.size());
        for (int i = 0; i < bundles.size(); i++) {
            JsonNode r = results.get(i);
            Bundle b = bundles.get(i);
            assertThat(r.has("error")).as(r.toString()).isFalse();
            assertThat(r.get("dest").asText()).isEqualTo(b.primary().destination().toString());
            assertThat(r.get("src").asText()).isEqualTo(b.primary().source().toString());
            assertThat(r.get("seq").asLong()).isEqualTo(b.primary().creationTimestamp().sequence());
            assertThat(r.get("lifetime").asLong()).isEqualTo(b.primary().lifetimeMillis());
            assertThat(r.get("payloadHex").asText()).isEqualTo(HexFormat.of().formatHex(b.payload()));
            assertThat(r.get("blocks").size()).isEqualTo(b.blocks().size());
            if (b.primary().isFragment()) {
                assertThat(r.get("fragmentOffset").asLong()).isEqualTo(b.primary().fragmentOffset());
                assertThat(r.get("totalAdu").asLong()).isEqualTo(2500);
            }
        }
        JsonNode first = results.get(0);
        assertThat(first.get("flags").asLong() & BundleFlags.REPORT_DELIVERY).isNotZero();
        assertThat(first.toString()).contains("\"hop\":[16,0]");
        JsonNode admin = results.getLast();
        assertThat(admin.get("adminType").asInt()).isEqualTo(1);
        assertThat(admin.get("statusInfo").toString()).isEqualTo("[false,false,true,false]");
        assertThat(admin.get("subjectSrc").asText()).isEqualTo("dtn://alpha/app");
    }

    private static Path script() throws IOException {
        try (var in = PythonCborInteropTest.class.getResourceAsStream("/bpv7_check.py")) {
            Path f = Files.createTempFile("bpv7_check", ".py");
            Files.write(f, in.readAllBytes());
            f.toFile().deleteOnExit();
            return f;
        }
    }
}
