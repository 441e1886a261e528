package org.aivillage.betanet.codec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CBOR data item (RFC 8949). Integers keep the full range of major types 0 and 1 (-2^64 .. 2^64-1);
 * arrays and maps remember whether they were (or should be) encoded with indefinite length; maps keep
 * their entry order (the deterministic encoder sorts keys, see {@link Cbor#encodeDeterministic}).
 */
public sealed interface CborValue {

    /** Major type 0: an unsigned integer; {@code bits} is the value read as unsigned 64-bit. */
    record UnsignedInt(long bits) implements CborValue {
        @Override
        public String toString() {
            return Long.toUnsignedString(bits);
        }
    }

    /** Major type 1: the integer {@code -1 - bits}, with {@code bits} read as unsigned 64-bit. */
    record NegativeInt(long bits) implements CborValue {
        @Override
        public String toString() {
            return "-" + new BigInteger(Long.toUnsignedString(bits)).add(BigInteger.ONE);
        }
    }

    /** Major type 2: a byte string. */
    record ByteString(byte[] bytes) implements CborValue {
        public ByteString {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int length() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteString b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "h'" + HexFormat.of().formatHex(bytes) + "'";
        }
    }

    /** Major type 3: a UTF-8 text string. */
    record TextString(String text) implements CborValue {
        @Override
        public String toString() {
            return '"' + text + '"';
        }
    }

    /** Major type 4: an array; {@code indefinite} selects the indefinite-length encoding. */
    record Array(List<CborValue> items, boolean indefinite) implements CborValue {
        public Array {
            items = List.copyOf(items);
        }

        public Array(List<CborValue> items) {
            this(items, false);
        }

        public CborValue get(int i) {
            return items.get(i);
        }

        public int size() {
            return items.size();
        }

        /** Equality follows the CBOR data model: definite and indefinite encodings are the same array. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Array a && items.equals(a.items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }
    }

    /** Major type 5: a map, entries in insertion (or decoded) order; keys are unique. */
    record CborMap(Map<CborValue, CborValue> entries, boolean indefinite) implements CborValue {
        public CborMap {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public CborMap(Map<CborValue, CborValue> entries) {
            this(entries, false);
        }

        public CborValue get(CborValue key) {
            return entries.get(key);
        }

        public CborValue get(String textKey) {
            return entries.get(new TextString(textKey));
        }

        public CborValue get(long intKey) {
            return entries.get(CborValue.of(intKey));
        }

        /** Equality follows the CBOR data model: entry order and length encoding do not matter. */
        @Override
        public boolean equals(Object o) {
            return o instanceof CborMap m && entries.equals(m.entries);
        }

        @Override
        public int hashCode() {
            return entries.hashCode();
        }
    }

    /** Major type 6: a tagged item. */
    record Tagged(long tag, CborValue content) implements CborValue {}

    /** Major type 7 simple values other than floats: false (20), true (21), null (22), undefined (23), others. */
    record Simple(int value) implements CborValue {
        public Simple {
            if (value < 0 || value > 255 || (value >= 24 && value < 32)) {
                throw new IllegalArgumentException("CBOR simple value must be 0..23 or 32..255, was " + value);
            }
        }
    }

    /** Major type 7 floats (half, single or double precision on the wire). */
    record FloatValue(double value) implements CborValue {
        @Override
        public boolean equals(Object o) {
            return o instanceof FloatValue f && Double.doubleToLongBits(value) == Double.doubleToLongBits(f.value);
        }

        @Override
        public int hashCode() {
            return Double.hashCode(value);
        }
    }

    Simple FALSE = new Simple(20);
    Simple TRUE = new Simple(21);
    Simple NULL = new Simple(22);
    Simple UNDEFINED = new Simple(23);

    static CborValue of(long value) {
        return value >= 0 ? new UnsignedInt(value) : new NegativeInt(-1 - value);
    }

    static CborValue of(BigInteger value) {
        if (value.signum() >= 0) {
            if (value.bitLength() > 64) {
                throw new IllegalArgumentException("integer too large for CBOR major type 0");
            }
            return new UnsignedInt(value.longValue());
        }
        BigInteger bits = value.negate().subtract(BigInteger.ONE);
        if (bits.bitLength() > 64) {
            throw new IllegalArgumentException("integer too small for CBOR major type 1");
        }
        return new NegativeInt(bits.longValue());
    }

    static CborValue of(String text) {
        return new TextString(text);
    }

    static CborValue of(byte[] bytes) {
        return new ByteString(bytes);
    }

    static CborValue of(boolean b) {
        return b ? TRUE : FALSE;
    }

    static Array array(CborValue... items) {
        return new Array(List.of(items));
    }

    static Array array(List<? extends CborValue> items) {
        return new Array(new ArrayList<>(items));
    }

    /** A map from alternating key, value arguments. */
    static CborMap map(CborValue... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("map needs key/value pairs");
        }
        Map<CborValue, CborValue> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (m.put(keysAndValues[i], keysAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("duplicate map key " + keysAndValues[i]);
            }
        }
        return new CborMap(m);
    }

    /** True for integers of either sign. */
    default boolean isInteger() {
        return this instanceof UnsignedInt || this instanceof NegativeInt;
    }

    /** The integer as a long; throws IllegalStateException if this is not an integer in long range. */
    default long asLong() {
        return switch (this) {
            case UnsignedInt u when u.bits() >= 0 -> u.bits();
            case NegativeInt n when n.bits() >= 0 -> -1 - n.bits();
            default -> throw new IllegalStateException("not an integer in the 64-bit signed range: " + this);
        };
    }

    /** The integer as a BigInteger (any CBOR integer). */
    default BigInteger asBigInteger() {
        return switch (this) {
            case UnsignedInt u -> new BigInteger(Long.toUnsignedString(u.bits()));
            case NegativeInt n -> new BigInteger(Long.toUnsignedString(n.bits())).add(BigInteger.ONE).negate();
            default -> throw new IllegalStateException("not an integer: " + this);
        };
    }

    default String asText() {
        if (this instanceof TextString t) {
            return t.text();
        }
        throw new IllegalStateException("not a text string: " + this);
    }

    default byte[] asBytes() {
        if (this instanceof ByteString b) {
            return b.bytes();
        }
        throw new IllegalStateException("not a byte string: " + this);
    }
}
