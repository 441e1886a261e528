package org.aivillage.betanet.htx.internal;

import org.aivillage.betanet.codec.QuicVarint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import org.aivillage.betanet.htx.Props;
import org.aivillage.testkit.Gens;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    static Gen<Frame> frames() {
        Gen<Long> ids = longs().between(0, QuicVarint.MAX_VALUE);
        Gen<Frame> stream = ids.zip(Gens.bytes(300), (id, d) -> new Frame.StreamData(id, d));
        Gen<Frame> window = ids.zip(longs().between(1, FrameCodec.MAX_WINDOW), (id, inc) -> new Frame.WindowUpdate(id, inc));
        Gen<Frame> ping = Generate.enumValues(Frame.PingKind.class).flatMap(k ->
                Gens.bytesOfLength(k.fixedLength() >= 0 ? k.fixedLength() : 17).map(d -> (Frame) new Frame.Ping(k, d)));
        Gen<Frame> close = longs().between(0, QuicVarint.MAX_VALUE)
                .zip(strings().allPossible().ofLengthBetween(0, 400), (c, r) -> new Frame.Close(c, r));
        Gen<Frame> key = Generate.constant(new Frame.KeyUpdate());
        return Generate.oneOf(stream, window, ping, close, key);
    }

    @Test
    void plainRoundTrip() {
        Props.forAll(2000, frames(), frame -> assertThat(FrameCodec.decodePlain(FrameCodec.encodePlain(frame))).isEqualTo(frame));
    }

    @Test
    void randomBytesNeverCrashTheParser() {
        Props.forAll(5000, Gens.bytes(64), bytes -> {
            try {
                FrameCodec.decodePlain(bytes);
            } catch (FrameFormatException expected) {
                assertThat(expected.getMessage()).contains("at offset");
            }
            try {
                FrameCodec.parseHeader(bytes, 0, bytes.length, 1 << 16);
            } catch (FrameFormatException expected) {
                assertThat(expected.field()).isNotBlank();
            }
        });
    }

    @Test
    void headerLayoutMatchesSection54() throws Exception {
        byte[] wire = FrameCodec.encodePlain(new Frame.StreamData(494_878_333L, new byte[] {1, 2, 3}));
        // uint24 length 3 | type 0 | varint 9d7f3e7d | plaintext
        assertThat(HexFormat.of().formatHex(wire)).isEqualTo("000003" + "00" + "9d7f3e7d" + "010203");
        byte[] ping = FrameCodec.encodePlain(new Frame.Ping(Frame.PingKind.PING, new byte[8]));
        assertThat(HexFormat.of().formatHex(ping, 0, 4)).isEqualTo("000009" + "01"); // no stream id for PING
        byte[] wu = FrameCodec.encodePlain(new Frame.WindowUpdate(0, 32768));
        assertThat(HexFormat.of().formatHex(wu)).isEqualTo("000004" + "04" + "00" + "00008000");
    }

    @Test
    void headerNeedsMoreBytesBeforeDeciding() throws Exception {
        byte[] h = HexFormat.of().parseHex("00000300c2");
        assertThat(FrameCodec.parseHeader(h, 0, 3, 100)).isNull();
        assertThat(FrameCodec.parseHeader(h, 0, 5, 100)).isNull(); // 8-byte varint not complete
        assertThat(FrameCodec.parseHeader(h, 0, 4, 100)).isNull();
    }

    @Test
    void rejectsOversizeUnknownTypeAndBadPayloads() {
        assertThatThrownBy(() -> FrameCodec.parseHeader(HexFormat.of().parseHex("01000000"), 0, 4, 65_535))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("length at offset 0");
        assertThatThrownBy(() -> FrameCodec.parseHeader(HexFormat.of().parseHex("00000007"), 0, 4, 65_535))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("type at offset 3");
        assertThatThrownBy(() -> FrameCodec.decodePlain(HexFormat.of().parseHex("0000040400" + "00000000")))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("window_update.increment");
        assertThatThrownBy(() -> FrameCodec.decodePlain(HexFormat.of().parseHex("00000103" + "00")))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("key_update");
        assertThatThrownBy(() -> FrameCodec.decodePlain(HexFormat.of().parseHex("00000302" + "00c3a9".substring(0, 2) + "ff" + "fe")))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("close.reason");
        assertThatThrownBy(() -> FrameCodec.decodePlain(HexFormat.of().parseHex("00000201" + "0001")))
                .isInstanceOf(FrameFormatException.class).hasMessageContaining("ping.data");
    }
}
