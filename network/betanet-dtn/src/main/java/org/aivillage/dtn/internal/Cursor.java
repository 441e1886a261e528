package org.aivillage.dtn.internal;

import org.aivillage.betanet.codec.CborDecoder;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.dtn.EndpointId;

/** A thin reader over {@link CborDecoder} that names fields and offsets in every error. */
public final class Cursor {
    private final byte[] in;
    private final CborDecoder dec;
    private final int limit;

    public Cursor(byte[] in) {
        this(in, 0, in.length);
    }

    public Cursor(byte[] in, int offset, int limit) {
        this.in = in;
        this.limit = limit;
        this.dec = new CborDecoder(in, offset, limit, 16);
    }

    public int position() {
        return dec.position();
    }

    public boolean atEnd() {
        return dec.atEnd();
    }

    public byte[] input() {
        return in;
    }

    /** Peeks the next byte (or -1 at the end). */
    public int peek() {
        int p = dec.position();
        return p < limit ? in[p] & 0xff : -1;
    }

    /** Consumes an indefinite-length head (0x9f and the like) after {@link #peek()}. */
    public void skipByte() throws CodecException {
        dec.readHead();
    }

    /** Consumes the break byte 0xff after {@link #peek()} returned it. */
    public void skipByteRaw() throws CodecException {
        dec.readHead();
    }

    public CodecException error(String field, long offset, String problem) {
        return new CodecException(field, offset, problem);
    }

    /** Reads a definite-length array head and returns its length; indefinite arrays are refused. */
    public int arrayHead(String field) throws CodecException {
        int at = position();
        CborDecoder.Head h = dec.readHead();
        if (h.majorType() != 4) {
            throw error(field, at, "expected an array, found major type " + h.majorType());
        }
        if (h.indefinite()) {
            throw error(field, at, "expected a definite-length array");
        }
        if (h.argument() < 0 || h.argument() > 1 << 20) {
            throw error(field, at, "array length " + Long.toUnsignedString(h.argument()) + " out of range");
        }
        return (int) h.argument();
    }

    /** Reads an unsigned integer that must fit in a signed long. */
    public long uint(String field) throws CodecException {
        int at = position();
        CborDecoder.Head h = dec.readHead();
        if (h.majorType() != 0) {
            throw error(field, at, "expected an unsigned integer, found major type " + h.majorType());
        }
        if (h.argument() < 0) {
            throw error(field, at, "unsigned integer beyond 2^63-1");
        }
        return h.argument();
    }

    public boolean bool(String field) throws CodecException {
        int at = position();
        CborValue v = dec.read();
        if (v instanceof CborValue.Simple s && (s.value() == 20 || s.value() == 21)) {
            return s.value() == 21;
        }
        throw error(field, at, "expected a boolean");
    }

    public byte[] bytes(String field) throws CodecException {
        int at = position();
        if ((peek() >>> 5) != 2) {
            throw error(field, at, "expected a byte string");
        }
        CborValue v = dec.read();
        if (v instanceof CborValue.ByteString b) {
            return b.bytes();
        }
        throw error(field, at, "expected a byte string");
    }

    public CborValue any(String field) throws CodecException {
        return dec.read();
    }

    /** Reads an endpoint ID: [1, "//node/x" | 0] or [2, [node, service]]. */
    public EndpointId eid(String field) throws CodecException {
        int at = position();
        if (arrayHead(field) != 2) {
            throw error(field, at, "an endpoint ID is a 2-element array");
        }
        long scheme = uint(field + ".scheme");
        switch ((int) Math.min(scheme, 1000)) {
            case EndpointId.SCHEME_DTN -> {
                int p = position();
                int mt = peek() >>> 5;
                if (mt == 0) {
                    if (uint(field + ".ssp") != 0) {
                        throw error(field + ".ssp", p, "dtn scheme-specific part as an integer must be 0 (none)");
                    }
                    return EndpointId.NONE;
                }
                if (mt != 3) {
                    throw error(field + ".ssp", p, "dtn scheme-specific part must be a text string or 0");
                }
                CborValue v = dec.read();
                String ssp = ((CborValue.TextString) v).text();
                if (ssp.equals("none")) {
                    throw error(field + ".ssp", p, "dtn:none must be encoded as 0");
                }
                try {
                    return new EndpointId.Dtn(ssp);
                } catch (IllegalArgumentException e) {
                    throw error(field + ".ssp", p, e.getMessage());
                }
            }
            case EndpointId.SCHEME_IPN -> {
                int p = position();
                int n = arrayHead(field + ".ssp");
                if (n != 2) {
                    throw error(field + ".ssp", p, "ipn scheme-specific part is [node, service]");
                }
                long node = uint(field + ".node");
                long service = uint(field + ".service");
                return new EndpointId.Ipn(node, service);
            }
            default -> throw error(field + ".scheme", at, "unknown URI scheme code " + scheme);
        }
    }
}
