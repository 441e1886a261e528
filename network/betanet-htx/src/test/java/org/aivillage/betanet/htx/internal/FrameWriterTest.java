package org.aivillage.betanet.htx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.htx.HtxLimits;
import org.aivillage.betanet.htx.Props;
import org.aivillage.betanet.htx.RekeyPolicy;
import org.junit.jupiter.api.Test;

class FrameWriterTest {
    /** Records every write the writer makes (its length) and keeps the bytes. */
    static final class Wire extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> writes = new ArrayList<>();
        int flushes;

        @Override
        public void write(int b) {
            throw new AssertionError("single-byte write");
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.add(len);
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    private static byte[] payload(int frame, int length) {
        byte[] p = new byte[length];
        Arrays.fill(p, (byte) frame);
        return p;
    }

    @Test
    void bulkWritesFillWholeTlsRecordsAndFlushWritesTheRest() throws Exception {
        Wire wire = new Wire();
        FrameSealer sealer = new FrameSealer(FrameProtectionTest.key(3), FrameProtectionTest.H, RekeyPolicy.DEFAULT, System::nanoTime);
        FrameWriter writer = new FrameWriter(wire, sealer, HtxLimits.RECORD_ALIGNED_FRAME, g -> { });
        int frames = 200;
        for (int i = 0; i < frames; i++) {
            writer.write(FrameType.STREAM, 1, payload(i, HtxLimits.RECORD_ALIGNED_FRAME), 0, HtxLimits.RECORD_ALIGNED_FRAME);
        }
        // Before the flush every write to the transport is a whole number of records.
        assertThat(wire.writes).isNotEmpty().allSatisfy(n -> assertThat(n % FrameWriter.RECORD_PAYLOAD).isZero());
        assertThat(writer.hasPending()).isTrue();
        writer.flush();
        assertThat(wire.flushes).isEqualTo(1);
        int sealed = FrameSealer.sealedLength(FrameType.STREAM, 1, HtxLimits.RECORD_ALIGNED_FRAME);
        assertThat(wire.bytes.size()).isEqualTo(frames * sealed);
        assertThat(writer.bytesWritten()).isEqualTo((long) frames * sealed);
        // Frames cut across writes come back whole and in order.
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.bytes.toByteArray()),
                new FrameOpener(FrameProtectionTest.key(3), FrameProtectionTest.H), 65_535);
        for (int i = 0; i < frames; i++) {
            Frame f = reader.read();
            assertThat(f).isInstanceOf(Frame.StreamData.class);
            assertThat(((Frame.StreamData) f).streamId()).isEqualTo(1);
            assertThat(((Frame.StreamData) f).data()).isEqualTo(payload(i, HtxLimits.RECORD_ALIGNED_FRAME));
        }
        assertThat(reader.read()).isNull();
    }

    @Test
    void anyMixOfFrameSizesRoundTrips() {
        Props.forAll(30, integers().between(1, 65_535).zip(integers().between(1, 120), (max, n) -> new int[] {max, n}), p -> {
            int max = p[0];
            Wire wire = new Wire();
            FrameWriter writer = new FrameWriter(wire, new FrameSealer(FrameProtectionTest.key(4), FrameProtectionTest.H,
                    RekeyPolicy.DEFAULT, System::nanoTime), max, g -> { });
            List<byte[]> sent = new ArrayList<>();
            java.util.Random r = new java.util.Random(max * 31L + p[1]);
            for (int i = 0; i < p[1]; i++) {
                byte[] pt = payload(i, r.nextInt(max + 1));
                sent.add(pt);
                writer.write(FrameType.STREAM, 1 + 2L * r.nextInt(1000), pt, 0, pt.length);
                if (r.nextInt(10) == 0) {
                    writer.flush();
                }
            }
            writer.flush();
            FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.bytes.toByteArray()),
                    new FrameOpener(FrameProtectionTest.key(4), FrameProtectionTest.H), 65_535);
            for (byte[] pt : sent) {
                Frame f = reader.read();
                assertThat(f).isInstanceOf(Frame.StreamData.class);
                assertThat(((Frame.StreamData) f).data()).isEqualTo(pt);
            }
            assertThat(reader.read()).isNull();
        });
    }
}
