package org.aivillage.vault;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Hashes;

/**
 * A signed audit receipt: one entry of the vault's audit log, as a COSE_Sign1 (EdDSA/Ed25519)
 * whose payload is the deterministic CBOR map
 *
 * <pre>
 * {1: vault id (bstr 16), 2: sequence number (uint), 3: time (uint, ms since the epoch),
 *  4: actor (tstr), 5: operation (tstr), 6: twin id (tstr / null), 7: version (uint / null),
 *  8: outcome (tstr: ok | denied | conflict | not-found | corrupt | invalid), 9: SHA-256 of the
 *  previous receipt's COSE bytes (bstr 32, zeros for the first), ? 10: detail (tstr)}
 * </pre>
 *
 * The signer's public key is the COSE {@code kid}. The previous-receipt hash chains the log, so a
 * removed or reordered receipt is detected by {@link TwinVault#verifyAuditLog()}.
 */
public record Receipt(byte[] vaultId, long seq, Instant time, String actor, String operation, String twinId,
        Long version, String outcome, byte[] previousHash, String detail, byte[] signer, byte[] encoded) {

    public static final String OK = "ok";
    public static final String DENIED = "denied";
    public static final String CONFLICT = "conflict";
    public static final String NOT_FOUND = "not-found";
    public static final String CORRUPT = "corrupt";
    public static final String INVALID = "invalid";

    public Receipt {
        vaultId = vaultId.clone();
        previousHash = previousHash.clone();
        signer = signer.clone();
        encoded = encoded.clone();
    }

    @Override
    public byte[] vaultId() {
        return vaultId.clone();
    }

    @Override
    public byte[] previousHash() {
        return previousHash.clone();
    }

    @Override
    public byte[] signer() {
        return signer.clone();
    }

    /** The COSE_Sign1 bytes (what {@code village vault verify-receipt} reads). */
    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /** SHA-256 of the COSE bytes: the next receipt's {@code previousHash}. */
    public byte[] hash() {
        return Hashes.sha256(encoded);
    }

    public Optional<String> twin() {
        return Optional.ofNullable(twinId);
    }

    /** True if the COSE signature verifies under {@code publicKey}. */
    public boolean verifySignature(byte[] publicKey) {
        try {
            return CoseSign1.decode(encoded).verify(publicKey);
        } catch (CodecException e) {
            return false;
        }
    }

    /** The payload map of a receipt (before signing). */
    public static byte[] payload(byte[] vaultId, long seq, Instant time, String actor, String operation, String twinId,
            Long version, String outcome, byte[] previousHash, String detail) {
        List<CborValue> kv = new ArrayList<>(List.of(
                CborValue.of(1), CborValue.of(vaultId),
                CborValue.of(2), CborValue.of(seq),
                CborValue.of(3), CborValue.of(time.toEpochMilli()),
                CborValue.of(4), CborValue.of(actor),
                CborValue.of(5), CborValue.of(operation),
                CborValue.of(6), twinId == null ? CborValue.NULL : CborValue.of(twinId),
                CborValue.of(7), version == null ? CborValue.NULL : CborValue.of(version),
                CborValue.of(8), CborValue.of(outcome),
                CborValue.of(9), CborValue.of(previousHash)));
        if (detail != null) {
            kv.add(CborValue.of(10));
            kv.add(CborValue.of(detail));
        }
        return Cbor.encodeDeterministic(CborValue.map(kv.toArray(CborValue[]::new)));
    }

    /** Parses a receipt (COSE_Sign1 + payload); does not verify the signature. */
    public static Receipt decode(byte[] cose) throws CodecException {
        CoseSign1 msg = CoseSign1.decode(cose);
        byte[] kid = msg.kid();
        if (kid == null || kid.length != 32) {
            throw new CodecException("receipt.kid", 0, "expected the signer's 32-byte Ed25519 key as kid");
        }
        CborValue p = Cbor.decodeDeterministic(msg.payload());
        if (!(p instanceof CborValue.CborMap m)) {
            throw new CodecException("receipt.payload", 0, "expected a map");
        }
        for (CborValue k : m.entries().keySet()) {
            if (!(k instanceof CborValue.UnsignedInt u) || u.bits() < 1 || u.bits() > 10) {
                throw new CodecException("receipt.payload", 0, "unknown key " + k);
            }
        }
        byte[] vaultId = bytes(m.get(1), "receipt.vault", 16);
        long seq = uint(m.get(2), "receipt.seq");
        long time = uint(m.get(3), "receipt.time");
        String actor = text(m.get(4), "receipt.actor");
        String op = text(m.get(5), "receipt.operation");
        String twin = CborValue.NULL.equals(m.get(6)) ? null : text(m.get(6), "receipt.twin");
        Long version = CborValue.NULL.equals(m.get(7)) ? null : uint(m.get(7), "receipt.version");
        String outcome = text(m.get(8), "receipt.outcome");
        byte[] prev = bytes(m.get(9), "receipt.previous", 32);
        String detail = m.get(10) == null ? null : text(m.get(10), "receipt.detail");
        return new Receipt(vaultId, seq, Instant.ofEpochMilli(time), actor, op, twin, version, outcome, prev, detail, kid, cose);
    }

    private static byte[] bytes(CborValue v, String f, int len) throws CodecException {
        if (!(v instanceof CborValue.ByteString b) || b.length() != len) {
            throw new CodecException(f, 0, "expected a " + len + "-byte string");
        }
        return b.bytes();
    }

    private static long uint(CborValue v, String f) throws CodecException {
        if (!(v instanceof CborValue.UnsignedInt u) || u.bits() < 0) {
            throw new CodecException(f, 0, "expected an unsigned integer");
        }
        return u.bits();
    }

    private static String text(CborValue v, String f) throws CodecException {
        if (!(v instanceof CborValue.TextString t)) {
            throw new CodecException(f, 0, "expected a text string");
        }
        return t.text();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && Arrays.equals(encoded, r.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Receipt#" + seq + "[" + time + " " + actor + " " + operation + (twinId == null ? "" : " " + twinId)
                + (version == null ? "" : " v" + version) + " " + outcome + (detail == null ? "" : " (" + detail + ")")
                + " signer=" + HexFormat.of().formatHex(signer, 0, 8) + "]";
    }
}
