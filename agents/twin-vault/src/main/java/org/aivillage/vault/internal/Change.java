package org.aivillage.vault.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.vault.PrivacyLevel;

/**
 * A batch of operations one device made to one twin at one hybrid-logical-clock tick. Its
 * deterministic CBOR encoding is what the device signs (as a COSE_Sign1 payload) and what its id
 * is computed over: the first 16 bytes of SHA-256 of the encoding.
 *
 * <pre>
 * change = {1: twin id (tstr), 2: owner (tstr), 3: device key (bstr 32), 4: wall ms (uint),
 *           5: counter (uint), 6: [op...]}
 * op     = [0, [key...], json (tstr)]  put | [1, [key...]] remove | [2, level (uint)] privacy | [3] erase
 * </pre>
 */
public record Change(String twinId, String owner, byte[] device, long wall, int counter, List<CrdtOp> ops) {
    public static final int ID_LENGTH = 16;
    public static final int MAX_OPS = 1 << 16;
    public static final int MAX_PATH = Json.MAX_DEPTH;

    public Change {
        Objects.requireNonNull(twinId, "twinId");
        Objects.requireNonNull(owner, "owner");
        if (device == null || device.length != 32) {
            throw new IllegalArgumentException("device key must be 32 bytes");
        }
        device = device.clone();
        ops = List.copyOf(ops);
        if (wall < 0 || counter < 0) {
            throw new IllegalArgumentException("negative clock");
        }
    }

    @Override
    public byte[] device() {
        return device.clone();
    }

    public byte[] encode() {
        List<CborValue> encodedOps = new ArrayList<>(ops.size());
        for (CrdtOp op : ops) {
            encodedOps.add(switch (op) {
                case CrdtOp.Put p -> CborValue.array(CborValue.of(0), path(p.path()), CborValue.of(p.json()));
                case CrdtOp.Remove r -> CborValue.array(CborValue.of(1), path(r.path()));
                case CrdtOp.Privacy p -> CborValue.array(CborValue.of(2), CborValue.of(p.level().code()));
                case CrdtOp.Erase e -> CborValue.array(CborValue.of(3));
            });
        }
        return Cbor.encodeDeterministic(CborValue.map(
                CborValue.of(1), CborValue.of(twinId),
                CborValue.of(2), CborValue.of(owner),
                CborValue.of(3), CborValue.of(device),
                CborValue.of(4), CborValue.of(wall),
                CborValue.of(5), CborValue.of(counter),
                CborValue.of(6), CborValue.array(encodedOps)));
    }

    /** The change id: SHA-256 of the encoding, first 16 bytes. */
    public byte[] id() {
        return Arrays.copyOf(Hashes.sha256(encode()), ID_LENGTH);
    }

    public Stamp stamp(byte[] changeId, int index) {
        return new Stamp(wall, counter, device, changeId, index);
    }

    private static CborValue path(List<String> keys) {
        List<CborValue> items = new ArrayList<>(keys.size());
        keys.forEach(k -> items.add(CborValue.of(k)));
        return CborValue.array(items);
    }

    /** Parses a change; requires the deterministic encoding so that its id is unambiguous. */
    public static Change decode(byte[] bytes) throws CodecException {
        CborValue v = Cbor.decodeDeterministic(bytes);
        if (!(v instanceof CborValue.CborMap m) || m.entries().size() != 6) {
            throw new CodecException("change", 0, "expected a map of 6 entries");
        }
        String twinId = text(m.get(1), "change.twin");
        String owner = text(m.get(2), "change.owner");
        if (!(m.get(3) instanceof CborValue.ByteString dev) || dev.length() != 32) {
            throw new CodecException("change.device", 0, "expected a 32-byte key");
        }
        long wall = uint(m.get(4), "change.wall", Long.MAX_VALUE);
        long counter = uint(m.get(5), "change.counter", Integer.MAX_VALUE);
        if (!(m.get(6) instanceof CborValue.Array opsArr)) {
            throw new CodecException("change.ops", 0, "expected an array");
        }
        if (opsArr.size() > MAX_OPS) {
            throw new CodecException("change.ops", 0, "more than " + MAX_OPS + " operations");
        }
        List<CrdtOp> ops = new ArrayList<>(opsArr.size());
        for (int i = 0; i < opsArr.size(); i++) {
            String f = "change.ops[" + i + "]";
            if (!(opsArr.get(i) instanceof CborValue.Array op) || op.size() == 0) {
                throw new CodecException(f, 0, "expected a non-empty array");
            }
            long kind = uint(op.get(0), f + ".kind", 3);
            ops.add(switch ((int) kind) {
                case 0 -> {
                    need(op, 3, f);
                    String json = text(op.get(2), f + ".value");
                    try {
                        Json.parse(json);
                    } catch (IllegalArgumentException e) {
                        throw new CodecException(f + ".value", 0, "not JSON");
                    }
                    yield new CrdtOp.Put(decodePath(op.get(1), f + ".path"), json);
                }
                case 1 -> {
                    need(op, 2, f);
                    yield new CrdtOp.Remove(decodePath(op.get(1), f + ".path"));
                }
                case 2 -> {
                    need(op, 2, f);
                    yield new CrdtOp.Privacy(PrivacyLevel.ofCode(uint(op.get(1), f + ".level", PrivacyLevel.values().length - 1)));
                }
                default -> {
                    need(op, 1, f);
                    yield new CrdtOp.Erase();
                }
            });
        }
        return new Change(twinId, owner, dev.bytes(), wall, (int) counter, ops);
    }

    private static void need(CborValue.Array op, int n, String f) throws CodecException {
        if (op.size() != n) {
            throw new CodecException(f, 0, "expected " + n + " items, got " + op.size());
        }
    }

    private static List<String> decodePath(CborValue v, String f) throws CodecException {
        if (!(v instanceof CborValue.Array a) || a.size() == 0 || a.size() > MAX_PATH) {
            throw new CodecException(f, 0, "expected 1.." + MAX_PATH + " keys");
        }
        List<String> keys = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            keys.add(text(a.get(i), f + "[" + i + "]"));
        }
        return keys;
    }

    private static String text(CborValue v, String f) throws CodecException {
        if (!(v instanceof CborValue.TextString t)) {
            throw new CodecException(f, 0, "expected a text string");
        }
        return t.text();
    }

    private static long uint(CborValue v, String f, long max) throws CodecException {
        if (!(v instanceof CborValue.UnsignedInt u) || u.bits() < 0 || u.bits() > max) {
            throw new CodecException(f, 0, "expected an unsigned integer up to " + max);
        }
        return u.bits();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Change c && Arrays.equals(encode(), c.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "Change[twin=" + twinId + ", wall=" + wall + ", counter=" + counter + ", ops=" + ops.size() + "]";
    }
}
