package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.util.List;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.internal.Discovery;
import org.aivillage.dtn.internal.ExtensionBlocks;
import org.aivillage.dtn.internal.TcpclMessage;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Round trips and random-input robustness of the smaller codecs: status reports, ASBs, TCPCL, beacons, extension blocks. */
class CodecPropertyTest {

    private static Gen<AdministrativeRecord.Assertion> assertions() {
        return booleans().all().zip(longs().between(-1, Long.MAX_VALUE),
                (yes, t) -> yes ? new AdministrativeRecord.Assertion(true, t) : AdministrativeRecord.Assertion.NO);
    }

    @Test
    void statusReportsRoundTrip() {
        Gen<BundleId> subjects = longs().between(0, Long.MAX_VALUE).zip(longs().between(0, 1 << 30),
                longs().between(-1, 1 << 30), (t, seq, fragLen) -> new BundleId(EndpointId.ipn(t % 1000, seq),
                        new CreationTimestamp(t, seq), fragLen < 0 ? 0 : seq, fragLen));
        qt().withExamples(500).forAll(assertions(), assertions(), integers().between(0, 11), subjects)
                .checkAssert((a, b, reason, subject) -> {
                    AdministrativeRecord r = new AdministrativeRecord.StatusReport(a, b, a, b, StatusReason.of(reason),
                            subject);
                    try {
                        assertThat(AdministrativeRecord.decode(AdministrativeRecord.encode(r))).isEqualTo(r);
                    } catch (CodecException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void abstractSecurityBlocksRoundTrip() {
        qt().withExamples(300).forAll(integers().between(1, 5), longs().between(-5, 1000), Gens.bytes(64))
                .checkAssert((n, ctx, value) -> {
                    List<Long> targets = java.util.stream.LongStream.range(1, n + 1).boxed().toList();
                    List<List<Bpsec.Item>> results = targets.stream()
                            .map(t -> List.of(new Bpsec.Item(1, new CborValue.ByteString(value)))).toList();
                    Bpsec.AbstractSecurityBlock asb = new Bpsec.AbstractSecurityBlock(targets, ctx, EndpointId.ipn(2, 1),
                            List.of(new Bpsec.Item(1, new CborValue.UnsignedInt(5))), results);
                    try {
                        assertThat(Bpsec.AbstractSecurityBlock.decode(asb.encode())).isEqualTo(asb);
                    } catch (CodecException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void randomBytesNeverCrashTheSmallDecoders() {
        qt().withExamples(3000).forAll(Gens.bytes(200)).checkAssert(junk -> {
            expectOnlyCodecException(() -> AdministrativeRecord.decode(junk));
            expectOnlyCodecException(() -> Bpsec.AbstractSecurityBlock.decode(junk));
            expectOnlyCodecException(() -> Discovery.decodeBeacon(junk, junk.length));
            expectOnlyCodecException(() -> ExtensionBlocks.parseHopCount(junk));
            expectOnlyCodecException(() -> ExtensionBlocks.parsePreviousNode(junk));
            try {
                TcpclMessage.read(new DataInputStream(new ByteArrayInputStream(junk)), 1 << 16);
            } catch (CodecException | EOFException expected) {
                // the documented outcomes for a malformed or truncated message
            } catch (java.io.IOException e) {
                throw new AssertionError("unexpected " + e);
            }
        });
    }

    private interface Decode {
        Object run() throws CodecException;
    }

    private static void expectOnlyCodecException(Decode d) {
        try {
            d.run();
        } catch (CodecException expected) {
            assertThat(expected.getMessage()).contains("at offset");
        }
    }
}
