package org.aivillage.betanet.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.floats;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import org.aivillage.testkit.Gens;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CborTest {
    private static final HexFormat HEX = HexFormat.of();

    private static CborValue i(long v) {
        return CborValue.of(v);
    }

    private static CborValue t(String s) {
        return CborValue.of(s);
    }

    private static CborValue f(double d) {
        return new CborValue.FloatValue(d);
    }

    /** RFC 8949 Appendix A: items whose preferred encoding is given there. */
    static Stream<Arguments> appendixA() {
        return Stream.of(
                Arguments.of(i(0), "00"), Arguments.of(i(1), "01"), Arguments.of(i(10), "0a"),
                Arguments.of(i(23), "17"), Arguments.of(i(24), "1818"), Arguments.of(i(25), "1819"),
                Arguments.of(i(100), "1864"), Arguments.of(i(1000), "1903e8"), Arguments.of(i(1000000), "1a000f4240"),
                Arguments.of(i(1000000000000L), "1b000000e8d4a51000"),
                Arguments.of(CborValue.of(new BigInteger("18446744073709551615")), "1bffffffffffffffff"),
                Arguments.of(CborValue.of(new BigInteger("-18446744073709551616")), "3bffffffffffffffff"),
                Arguments.of(i(-1), "20"), Arguments.of(i(-10), "29"), Arguments.of(i(-100), "3863"),
                Arguments.of(i(-1000), "3903e7"),
                Arguments.of(f(0.0), "f90000"), Arguments.of(f(-0.0), "f98000"), Arguments.of(f(1.0), "f93c00"),
                Arguments.of(f(1.1), "fb3ff199999999999a"), Arguments.of(f(1.5), "f93e00"),
                Arguments.of(f(65504.0), "f97bff"), Arguments.of(f(100000.0), "fa47c35000"),
                Arguments.of(f(3.4028234663852886e+38), "fa7f7fffff"), Arguments.of(f(1.0e+300), "fb7e37e43c8800759c"),
                Arguments.of(f(5.960464477539063e-8), "f90001"), Arguments.of(f(0.00006103515625), "f90400"),
                Arguments.of(f(-4.0), "f9c400"), Arguments.of(f(-4.1), "fbc010666666666666"),
                Arguments.of(f(Double.POSITIVE_INFINITY), "f97c00"), Arguments.of(f(Double.NaN), "f97e00"),
                Arguments.of(f(Double.NEGATIVE_INFINITY), "f9fc00"),
                Arguments.of(CborValue.FALSE, "f4"), Arguments.of(CborValue.TRUE, "f5"), Arguments.of(CborValue.NULL, "f6"),
                Arguments.of(CborValue.UNDEFINED, "f7"), Arguments.of(new CborValue.Simple(16), "f0"),
                Arguments.of(new CborValue.Simple(255), "f8ff"),
                Arguments.of(new CborValue.Tagged(0, t("2013-03-21T20:04:00Z")), "c074323031332d30332d32315432303a30343a30305a"),
                Arguments.of(new CborValue.Tagged(1, i(1363896240)), "c11a514b67b0"),
                Arguments.of(new CborValue.Tagged(23, CborValue.of(HEX.parseHex("01020304"))), "d74401020304"),
                Arguments.of(CborValue.of(new byte[0]), "40"), Arguments.of(CborValue.of(HEX.parseHex("01020304")), "4401020304"),
                Arguments.of(t(""), "60"), Arguments.of(t("a"), "6161"), Arguments.of(t("IETF"), "6449455446"),
                Arguments.of(t("\"\\"), "62225c"), Arguments.of(t("\u00fc"), "62c3bc"), Arguments.of(t("\u6c34"), "63e6b0b4"),
                Arguments.of(t("\ud800\udd51"), "64f0908591"),
                Arguments.of(CborValue.array(), "80"), Arguments.of(CborValue.array(i(1), i(2), i(3)), "83010203"),
                Arguments.of(CborValue.array(i(1), CborValue.array(i(2), i(3)), CborValue.array(i(4), i(5))), "8301820203820405"),
                Arguments.of(CborValue.map(), "a0"), Arguments.of(CborValue.map(i(1), i(2), i(3), i(4)), "a201020304"),
                Arguments.of(CborValue.map(t("a"), i(1), t("b"), CborValue.array(i(2), i(3))), "a26161016162820203"),
                Arguments.of(CborValue.array(t("a"), CborValue.map(t("b"), t("c"))), "826161a161626163"));
    }

    @ParameterizedTest
    @MethodSource("appendixA")
    void encodesAndDecodesRfc8949AppendixA(CborValue value, String hex) throws CodecException {
        assertThat(HEX.formatHex(Cbor.encodeDeterministic(value))).isEqualTo(hex);
        assertThat(Cbor.decode(HEX.parseHex(hex))).isEqualTo(value);
        assertThat(Cbor.decodeDeterministic(HEX.parseHex(hex))).isEqualTo(value);
    }

    @Test
    void decodesIndefiniteLengthItemsOfAppendixA() throws CodecException {
        assertThat(Cbor.decode(HEX.parseHex("5f42010243030405ff"))).isEqualTo(CborValue.of(HEX.parseHex("0102030405")));
        assertThat(Cbor.decode(HEX.parseHex("7f657374726561646d696e67ff"))).isEqualTo(t("streaming"));
        CborValue.Array empty = (CborValue.Array) Cbor.decode(HEX.parseHex("9fff"));
        assertThat(empty.indefinite()).isTrue();
        assertThat(empty.items()).isEmpty();
        CborValue nested = Cbor.decode(HEX.parseHex("9f018202039f0405ffff"));
        assertThat(Cbor.encodeDeterministic(nested)).isEqualTo(HEX.parseHex("8301820203820405"));
        // Faithful encoding keeps indefinite lengths, so the bytes round-trip.
        assertThat(HEX.formatHex(Cbor.encode(nested))).isEqualTo("9f018202039f0405ffff");
        CborValue m = Cbor.decode(HEX.parseHex("bf61610161629f0203ffff"));
        assertThat(HEX.formatHex(Cbor.encodeDeterministic(m))).isEqualTo("a26161016162820203");
        assertThat(HEX.formatHex(Cbor.encode(m))).isEqualTo("bf61610161629f0203ffff");
    }

    @Test
    void deterministicEncodingSortsMapKeysBytewise() {
        CborValue m = CborValue.map(t("b"), i(1), i(10), i(2), t("a"), i(3), i(-1), i(4), t("aa"), i(5));
        // Keys encode as 0a, 20, 6161, 6162, 626161: bytewise order.
        assertThat(HEX.formatHex(Cbor.encodeDeterministic(m))).isEqualTo("a50a0220046161036162016261610" + "5");
        assertThatThrownBy(() -> Cbor.decodeDeterministic(Cbor.encode(m)))
                .isInstanceOf(CodecException.class).hasMessageContaining("deterministic");
        assertThatThrownBy(() -> Cbor.decodeDeterministic(HEX.parseHex("1817"))) // 23 in a 2-byte head
                .isInstanceOf(CodecException.class);
    }

    @Test
    void rejectsMalformedInputWithFieldAndOffset() {
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("1c"))).isInstanceOf(CodecException.class)
                .hasMessageContaining("offset 0").hasMessageContaining("reserved");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("ff"))).hasMessageContaining("break");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("62c3"))).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("62c328"))).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("a201020103"))).hasMessageContaining("duplicate key")
                .hasMessageContaining("offset 3");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("9b7fffffffffffffff"))).hasMessageContaining("declares");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("5f6161ff"))).hasMessageContaining("same type");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("f81f"))).hasMessageContaining("simple");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("0000"))).hasMessageContaining("trailing");
        assertThatThrownBy(() -> Cbor.decode(HEX.parseHex("3f"))).hasMessageContaining("indefinite");
        byte[] deep = new byte[200];
        java.util.Arrays.fill(deep, (byte) 0x81);
        assertThatThrownBy(() -> Cbor.decode(deep)).hasMessageContaining("nesting");
    }

    @Test
    void decoderReportsItemBoundaries() throws CodecException {
        byte[] two = HEX.parseHex("83010203" + "6449455446");
        CborDecoder d = new CborDecoder(two);
        d.read();
        assertThat(d.position()).isEqualTo(4);
        assertThat(d.read()).isEqualTo(t("IETF"));
        assertThat(d.atEnd()).isTrue();
        CborDecoder h = new CborDecoder(HEX.parseHex("9f0102ff"));
        assertThat(h.readHead()).isEqualTo(new CborDecoder.Head(4, -1, true));
    }

    @Test
    void anIndependentDecoderReadsWhatWeWrite() throws Exception {
        CborValue v = CborValue.map(t("name"), t("village"), t("n"), i(-70000), t("big"), i(5_000_000_000L),
                t("bytes"), CborValue.of(new byte[] {1, 2, 3}), t("list"), CborValue.array(i(1), CborValue.TRUE, CborValue.NULL),
                t("pi"), f(3.14159));
        JsonNode node = new ObjectMapper(new CBORFactory()).readTree(Cbor.encodeDeterministic(v));
        assertThat(node.get("name").asText()).isEqualTo("village");
        assertThat(node.get("n").asLong()).isEqualTo(-70000);
        assertThat(node.get("big").asLong()).isEqualTo(5_000_000_000L);
        assertThat(node.get("bytes").binaryValue()).containsExactly(1, 2, 3);
        assertThat(node.get("list").get(1).asBoolean()).isTrue();
        assertThat(node.get("list").get(2).isNull()).isTrue();
        assertThat(node.get("pi").asDouble()).isEqualTo(3.14159);
    }

    private static Gen<CborValue> value(int depth) {
        Gen<CborValue> leaf = Generate.oneOf(
                longs().all().map(CborValue::of),
                longs().all().map(v -> (CborValue) new CborValue.UnsignedInt(v)),
                longs().all().map(v -> (CborValue) new CborValue.NegativeInt(v)),
                Gens.bytes(40).map(CborValue::of),
                lists().of(integers().between(0, Character.MAX_CODE_POINT)).ofSizeBetween(0, 12)
                        .map(cps -> (CborValue) CborValue.of(cps.stream()
                                .map(cp -> Character.isSurrogate((char) (int) cp) && cp <= 0xFFFF ? 0xFFFD : cp)
                                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString())),
                doubles().any().map(d -> (CborValue) new CborValue.FloatValue(d)),
                floats().any().map(fl -> (CborValue) new CborValue.FloatValue(fl)),
                Generate.pick(List.of(CborValue.TRUE, CborValue.FALSE, CborValue.NULL, CborValue.UNDEFINED)));
        if (depth == 0) {
            return leaf;
        }
        Gen<CborValue> child = rnd -> value(depth - 1).generate(rnd);
        Gen<CborValue> arrays = lists().of(child).ofSizeBetween(0, 4)
                .zip(booleans().all(), (items, ind) -> (CborValue) new CborValue.Array(items, ind));
        Gen<CborValue> maps = lists().of(child.zip(child, Pair::of)).ofSizeBetween(0, 4)
                .zip(booleans().all(), (pairs, ind) -> {
                    Map<CborValue, CborValue> m = new LinkedHashMap<>();
                    pairs.forEach(p -> m.putIfAbsent(p._1, p._2));
                    return (CborValue) new CborValue.CborMap(m, ind);
                });
        Gen<CborValue> tags = longs().between(0, Long.MAX_VALUE).zip(child, (tag, c) -> (CborValue) new CborValue.Tagged(tag, c));
        return Generate.frequency(List.of(Pair.of(5, leaf), Pair.of(2, arrays), Pair.of(2, maps), Pair.of(1, tags)));
    }

    @Test
    void faithfulEncodingRoundTrips() {
        qt().withExamples(500).forAll(value(4)).checkAssert(v -> {
            byte[] enc = Cbor.encode(v);
            CborValue back = decodeOrFail(enc);
            assertThat(Cbor.encode(back)).isEqualTo(enc);
            assertThat(back).isEqualTo(v);
        });
    }

    @Test
    void deterministicEncodingIsStableAndAccepted() {
        qt().withExamples(500).forAll(value(4)).checkAssert(v -> {
            byte[] det = Cbor.encodeDeterministic(v);
            try {
                CborValue back = Cbor.decodeDeterministic(det);
                assertThat(Cbor.encodeDeterministic(back)).isEqualTo(det);
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void randomBytesNeverCrashTheDecoder() {
        qt().withExamples(5000).forAll(Gens.bytes(64)).checkAssert(input -> {
            try {
                Cbor.decode(input);
            } catch (CodecException e) {
                assertThat(e.offset()).isBetween(0L, (long) input.length);
            }
        });
    }

    @Test
    void mutatedEncodingsNeverCrashTheDecoder() {
        qt().withExamples(2000).forAll(value(3), integers().all(), integers().between(0, 255)).checkAssert((v, where, with) -> {
            byte[] enc = Cbor.encode(v);
            enc[Math.floorMod(where, enc.length)] = (byte) (int) with;
            try {
                Cbor.decode(enc);
            } catch (CodecException expected) {
                assertThat(expected.getMessage()).contains("offset");
            }
        });
    }

    private static CborValue decodeOrFail(byte[] enc) {
        try {
            return Cbor.decode(enc);
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void mapOrderIsKeptWhenNotDeterministic() throws CodecException {
        Map<CborValue, CborValue> m = new LinkedHashMap<>();
        m.put(t("z"), i(1));
        m.put(t("a"), i(2));
        CborValue.CborMap decoded = (CborValue.CborMap) Cbor.decode(Cbor.encode(new CborValue.CborMap(m)));
        List<CborValue> keys = new ArrayList<>(decoded.entries().keySet());
        assertThat(keys).containsExactly(t("z"), t("a"));
    }
}
