package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.internal.BlockCrc;
import org.aivillage.dtn.internal.Crc16X25;
import org.aivillage.dtn.internal.ExtensionBlocks;
import org.aivillage.testkit.Gens;
import org.quicktheories.core.Gen;
import org.junit.jupiter.api.Test;

class BundleCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void crcCheckValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc16X25.compute(check)).isEqualTo(0x906E);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(check);
        assertThat(c.getValue()).isEqualTo(0xE3069283L);
    }

    /** dtn7-rs published primary blocks with CRC-16 and CRC-32C (their EIDs predate RFC 9171, so only the CRCs are checked). */
    @Test
    void crcsOfDtn7PublishedPrimaryBlocks() {
        byte[] crc16 = HEX.parseHex("890700018201686e322f696e626f788201626e318201626e3182190926021a0393870042e7ca");
        assertThat(BlockCrc.compute(CrcType.CRC16, crc16, 0, crc16.length)).isEqualTo(0xe7caL);
        byte[] crc32 = HEX.parseHex("890700028201686e322f696e626f788201626e318201626e3182190926021a0393870044ca4fc368");
        assertThat(BlockCrc.compute(CrcType.CRC32C, crc32, 0, crc32.length)).isEqualTo(0xca4fc368L);
    }

    /** Hardy's (another BPv7 implementation) variant of RFC 9173 A.1 with a CRC-16 primary block and a real timestamp. */
    @Test
    void decodesHardyBundleWithCrc16Primary() throws Exception {
        byte[] b = HEX.parseHex("9f89070001820282010282028202018202820201820118281a000f424042e4fe850b0200"
                + "005856810101018202820201828201078203008181820158403bdc69b3a34a2b5d3a"
                + "8554368bd1e808f606219d2a10a846eae3886ae4ecc83c4ee550fdfb1cc636b904e2"
                + "f1a73e303dcd4b6ccece003e95e8164dcc89a156e185010100005823526561647920"
                + "746f2067656e657261746520612033322d62797465207061796c6f6164ff");
        Bundle bundle = BundleCodec.decode(b);
        assertThat(bundle.primary().crcType()).isEqualTo(CrcType.CRC16);
        assertThat(bundle.primary().creationTimestamp()).isEqualTo(new CreationTimestamp(1, 40));
        assertThat(BundleCodec.encode(bundle)).isEqualTo(b);
        b[26] ^= 1; // inside the primary block's lifetime, covered by its CRC-16
        assertThatThrownBy(() -> BundleCodec.decode(b)).isInstanceOf(CodecException.class);
    }

    /** A bundle from the test suite of a Rust BPv7 implementation (dtn7 lineage, {@code test_rand_bundle_1}). */
    @Test
    void decodesBundleFromARustBp7TestSuite() throws Exception {
        byte[] b = HEX.parseHex("9F88071A00020004008201702F2F6E6F646533312F6D61766C696E6B8201702F2F6E6F6465322F696E63"
                + "6F6D696E678201702F2F6E6F6465322F696E636F6D696E67821B0000009E9DE3DEFE001A0036EE80850A0200004482182000"
                + "85010100004443414243FF");
        Bundle bundle = BundleCodec.decode(b);
        assertThat(bundle.primary().destination()).isEqualTo(EndpointId.parse("dtn://node31/mavlink"));
        assertThat(bundle.primary().source()).isEqualTo(EndpointId.parse("dtn://node2/incoming"));
        assertThat(bundle.primary().hasFlag(BundleFlags.MUST_NOT_FRAGMENT | BundleFlags.REPORT_DELIVERY)).isTrue();
        assertThat(bundle.primary().lifetimeMillis()).isEqualTo(3_600_000);
        assertThat(bundle.hopCount()).hasValueSatisfying(h -> assertThat(h).containsExactly(32, 0));
        // That implementation carries its ADU CBOR-encoded inside the payload byte string: 0x43 "ABC".
        assertThat(bundle.payload()).isEqualTo(HEX.parseHex("43414243"));
        assertThat(BundleCodec.encode(bundle)).isEqualTo(b);
    }

    @Test
    void crcMismatchIsRejectedWithFieldAndOffset() throws Exception {
        Bundle bundle = Bundle.builder().source(EndpointId.parse("dtn://a/")).destination(EndpointId.parse("dtn://b/in"))
                .creationTimestamp(new CreationTimestamp(1000, 1)).payload(new byte[] {1, 2, 3}).build();
        byte[] enc = BundleCodec.encode(bundle);
        assertThat(BundleCodec.decode(enc)).isEqualTo(bundle);
        for (int i = 1; i < enc.length - 1; i++) {
            byte[] bad = enc.clone();
            bad[i] ^= 0x01;
            try {
                Bundle decoded = BundleCodec.decode(bad);
                assertThat(decoded).as("flip at %d must not decode to the same bundle", i).isNotEqualTo(bundle);
            } catch (CodecException e) {
                assertThat(e.getMessage()).contains("at offset");
            }
        }
        byte[] payloadFlip = enc.clone();
        payloadFlip[enc.length - 8] ^= 0x01; // last payload byte is before the 4-byte CRC and its 1-byte head
        assertThatThrownBy(() -> BundleCodec.decode(payloadFlip)).isInstanceOf(CodecException.class)
                .hasMessageContaining("block.crc").hasMessageContaining("CRC mismatch");
    }

    @Test
    void structuralRulesAreEnforced() {
        Bundle ok = Bundle.builder().source(EndpointId.ipn(1, 1)).destination(EndpointId.ipn(2, 1))
                .creationTimestamp(new CreationTimestamp(5, 0)).payload(new byte[] {9}).build();
        byte[] enc = BundleCodec.encode(ok);
        byte[] definite = enc.clone();
        definite[0] = (byte) 0x82;
        assertThatThrownBy(() -> BundleCodec.decode(definite)).hasMessageContaining("indefinite");
        byte[] truncated = java.util.Arrays.copyOf(enc, enc.length - 1);
        assertThatThrownBy(() -> BundleCodec.decode(truncated)).hasMessageContaining("break");
        byte[] version6 = enc.clone();
        version6[2] = 6;
        assertThatThrownBy(() -> BundleCodec.decode(version6)).hasMessageContaining("version");
    }

    @Test
    void statusReportRoundTrip() throws Exception {
        BundleId subject = new BundleId(EndpointId.parse("dtn://src/app"), new CreationTimestamp(77, 3), 10, 20);
        AdministrativeRecord r = new AdministrativeRecord.StatusReport(AdministrativeRecord.Assertion.at(100, true),
                AdministrativeRecord.Assertion.NO, AdministrativeRecord.Assertion.at(200, false),
                AdministrativeRecord.Assertion.NO, StatusReason.LIFETIME_EXPIRED, subject);
        assertThat(AdministrativeRecord.decode(AdministrativeRecord.encode(r))).isEqualTo(r);
    }

    @Test
    void fragmentationAndReassembly() throws Exception {
        byte[] adu = new byte[10_000];
        new java.util.Random(1).nextBytes(adu);
        Bundle b = Bundle.builder().source(EndpointId.parse("dtn://a/x")).destination(EndpointId.parse("dtn://b/y"))
                .creationTimestamp(new CreationTimestamp(9, 9)).hopLimit(30).payload(adu).build();
        List<Bundle> frags = Fragmentation.fragment(b, 3000);
        assertThat(frags).hasSize(4);
        List<Bundle> wire = new ArrayList<>();
        for (Bundle f : frags) {
            wire.add(BundleCodec.decode(BundleCodec.encode(f)));
        }
        java.util.Collections.reverse(wire);
        assertThat(Fragmentation.reassemble(wire)).hasValue(b);
        assertThat(Fragmentation.reassemble(wire.subList(0, 3))).isEmpty();
        // A fragment fragmented again still reassembles.
        List<Bundle> refrag = new ArrayList<>(Fragmentation.fragment(frags.get(1), 700));
        refrag.add(frags.get(0));
        refrag.add(frags.get(2));
        refrag.add(frags.get(3));
        assertThat(Fragmentation.reassemble(refrag)).hasValue(b);
    }

    @Test
    void decodeOfEncodeIsIdentity() {
        qt().withExamples(300).forAll(bundles()).checkAssert(b -> {
            byte[] enc = BundleCodec.encode(b);
            try {
                assertThat(BundleCodec.decode(enc)).isEqualTo(b);
                assertThat(BundleCodec.encode(BundleCodec.decode(enc))).isEqualTo(enc);
            } catch (CodecException e) {
                throw new AssertionError("a bundle we encoded did not decode: " + e.getMessage(), e);
            }
        });
    }

    @Test
    void randomBytesNeverCrashTheDecoder() {
        qt().withExamples(3000).forAll(Gens.bytes(400)).checkAssert(junk -> {
            try {
                BundleCodec.decode(junk);
            } catch (CodecException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
        });
    }

    @Test
    void mutatedBundlesNeverCrashTheDecoder() {
        qt().withExamples(2000).forAll(bundles(), integers().all(), integers().between(0, 255))
                .checkAssert((b, position, value) -> {
                    byte[] enc = BundleCodec.encode(b);
                    enc[Math.floorMod(position, enc.length)] = (byte) (int) value;
                    try {
                        BundleCodec.decode(enc);
                    } catch (CodecException expected) {
                        assertThat(expected.field()).isNotBlank();
                    }
                });
    }

    /** Random bundles: dtn and ipn endpoints, every CRC type, extension blocks, hop count, priority, fragments. */
    static Gen<Bundle> bundles() {
        Gen<String> names = strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 12);
        Gen<EndpointId> dtn = names.zip(strings().betweenCodePoints('a', 'z').ofLengthBetween(0, 8), EndpointId::dtn);
        Gen<EndpointId> ipn = longs().between(0, Long.MAX_VALUE).zip(longs().between(0, 1 << 20), EndpointId::ipn);
        Gen<Integer> coin = integers().between(0, 1);
        Gen<EndpointId> eids = in -> coin.generate(in) == 0 ? dtn.generate(in) : ipn.generate(in);
        Gen<CrcType> crcs = integers().between(0, 2).map(i -> CrcType.values()[i]);
        Gen<byte[]> payloads = Gens.bytes(300);
        Gen<CanonicalBlock> extra = integers().between(193, 255).zip(Gens.bytes(20), crcs, longs().between(0, 0x1f),
                (t, d, c, f) -> new CanonicalBlock(t, 100 + t, f, c, d));
        Gen<List<CanonicalBlock>> extras = lists().of(extra).ofSizeBetween(0, 3)
                .map(l -> List.copyOf(l.stream().collect(java.util.stream.Collectors.toMap(CanonicalBlock::type,
                        x -> x, (a, z) -> a, java.util.LinkedHashMap::new)).values()));
        return in -> {
            EndpointId src = eids.generate(in);
            EndpointId dst = eids.generate(in);
            CrcType crc = crcs.generate(in);
            byte[] payload = payloads.generate(in);
            long time = longs().between(0, Long.MAX_VALUE).generate(in);
            long life = longs().between(0, 1L << 40).generate(in);
            int kind = integers().between(0, 3).generate(in);
            Bundle.Builder bb = Bundle.builder().source(src).destination(dst).crcType(crc).payload(payload)
                    .lifetimeMillis(life).creationTimestamp(new CreationTimestamp(time, life % 1000))
                    .flags(kind == 0 ? 0 : BundleFlags.REPORT_DELIVERY | BundleFlags.REPORT_RECEPTION);
            extras.generate(in).forEach(bb::extensionBlock);
            if (kind == 2) {
                bb.hopLimit(64).priority(2);
            }
            Bundle b = bb.build();
            if (kind == 3 && payload.length > 2) {
                b = b.withPrimary(b.primary().asFragment(5, 5 + payload.length + 7));
                b = b.withExtension(BlockType.PREVIOUS_NODE, 0, ExtensionBlocks.encodePreviousNode(dst));
            }
            return b;
        };
    }
}
