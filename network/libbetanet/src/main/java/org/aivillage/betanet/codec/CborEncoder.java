package org.aivillage.betanet.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link CborValue}s. Integers, lengths and tags always use the shortest head (RFC 8949
 * preferred serialization); floats use the shortest of half/single/double that keeps the value.
 * In deterministic mode (RFC 8949 §4.2.1) indefinite lengths become definite and map keys are
 * sorted by the bytewise lexicographic order of their encodings.
 */
public final class CborEncoder {
    private final ByteArrayOutputStream out;
    private final boolean deterministic;

    public CborEncoder(boolean deterministic) {
        this.out = new ByteArrayOutputStream(64);
        this.deterministic = deterministic;
    }

    public CborEncoder write(CborValue value) {
        switch (value) {
            case CborValue.UnsignedInt u -> writeHead(0, u.bits());
            case CborValue.NegativeInt n -> writeHead(1, n.bits());
            case CborValue.ByteString b -> {
                writeHead(2, b.length());
                out.writeBytes(b.bytes());
            }
            case CborValue.TextString t -> {
                byte[] utf8 = t.text().getBytes(StandardCharsets.UTF_8);
                writeHead(3, utf8.length);
                out.writeBytes(utf8);
            }
            case CborValue.Array a -> {
                boolean indefinite = a.indefinite() && !deterministic;
                if (indefinite) {
                    out.write(0x9f);
                } else {
                    writeHead(4, a.size());
                }
                for (CborValue item : a.items()) {
                    write(item);
                }
                if (indefinite) {
                    out.write(0xff);
                }
            }
            case CborValue.CborMap m -> writeMap(m);
            case CborValue.Tagged t -> {
                writeHead(6, t.tag());
                write(t.content());
            }
            case CborValue.Simple s -> {
                if (s.value() < 24) {
                    out.write(0xe0 | s.value());
                } else {
                    out.write(0xf8);
                    out.write(s.value());
                }
            }
            case CborValue.FloatValue f -> writeFloat(f.value());
        }
        return this;
    }

    private void writeMap(CborValue.CborMap m) {
        boolean indefinite = m.indefinite() && !deterministic;
        if (!deterministic) {
            if (indefinite) {
                out.write(0xbf);
            } else {
                writeHead(5, m.entries().size());
            }
            for (Map.Entry<CborValue, CborValue> e : m.entries().entrySet()) {
                write(e.getKey());
                write(e.getValue());
            }
            if (indefinite) {
                out.write(0xff);
            }
            return;
        }
        List<byte[][]> encoded = new ArrayList<>(m.entries().size());
        for (Map.Entry<CborValue, CborValue> e : m.entries().entrySet()) {
            encoded.add(new byte[][] {encodeNested(e.getKey()), encodeNested(e.getValue())});
        }
        encoded.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
        for (int i = 1; i < encoded.size(); i++) {
            if (Arrays.equals(encoded.get(i - 1)[0], encoded.get(i)[0])) {
                throw new IllegalArgumentException("two map keys have the same deterministic encoding");
            }
        }
        writeHead(5, encoded.size());
        for (byte[][] kv : encoded) {
            out.writeBytes(kv[0]);
            out.writeBytes(kv[1]);
        }
    }

    private byte[] encodeNested(CborValue v) {
        return new CborEncoder(true).write(v).toByteArray();
    }

    /** Writes a head: major type and argument (the argument read as unsigned 64-bit). */
    public CborEncoder writeHead(int major, long argument) {
        int mt = major << 5;
        if (Long.compareUnsigned(argument, 24) < 0) {
            out.write(mt | (int) argument);
        } else if (Long.compareUnsigned(argument, 0xff) <= 0) {
            out.write(mt | 24);
            out.write((int) argument);
        } else if (Long.compareUnsigned(argument, 0xffff) <= 0) {
            out.write(mt | 25);
            writeBigEndian(argument, 2);
        } else if (Long.compareUnsigned(argument, 0xffffffffL) <= 0) {
            out.write(mt | 26);
            writeBigEndian(argument, 4);
        } else {
            out.write(mt | 27);
            writeBigEndian(argument, 8);
        }
        return this;
    }

    private void writeFloat(double d) {
        if (Double.isNaN(d)) {
            out.write(0xf9);
            writeBigEndian(0x7e00, 2);
            return;
        }
        float f = (float) d;
        if ((double) f == d) {
            int half = toHalf(f);
            if (half >= 0) {
                out.write(0xf9);
                writeBigEndian(half, 2);
            } else {
                out.write(0xfa);
                writeBigEndian(Float.floatToIntBits(f) & 0xffffffffL, 4);
            }
        } else {
            out.write(0xfb);
            writeBigEndian(Double.doubleToLongBits(d), 8);
        }
    }

    /** The IEEE 754 half-precision bits of {@code f} if the conversion is exact, else -1. */
    static int toHalf(float f) {
        short h = Float.floatToFloat16(f);
        return Float.float16ToFloat(h) == f || (Float.isInfinite(f) && Float.isInfinite(Float.float16ToFloat(h)))
                ? (h & 0xffff) : -1;
    }

    private void writeBigEndian(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (i * 8)));
        }
    }

    /** Appends raw, already-encoded CBOR bytes. */
    public CborEncoder writeRaw(byte[] encoded) {
        out.writeBytes(encoded);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
