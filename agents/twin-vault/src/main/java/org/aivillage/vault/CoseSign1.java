package org.aivillage.vault;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Ed25519;

/**
 * A COSE_Sign1 message (RFC 9052 §4.2) signed with EdDSA over Ed25519 (algorithm -8): CBOR tag 18
 * around [protected (bstr-wrapped header map), unprotected header map, payload (bstr), signature].
 * The signature covers the Sig_structure ["Signature1", protected, external_aad, payload]
 * (RFC 9052 §4.4). The payload may be detached (CBOR null; RFC 9052 §2), as in COSE Receipts
 * (RFC 9942), where the signed payload is a Merkle root the verifier recomputes. Sync changes are
 * signed with protected header {1: -8} and the signer's Ed25519 public key as {@code kid} (label 4)
 * in the unprotected header.
 *
 * <p>Instances are immutable values; {@link #decode(byte[])} is a pure parser that throws only
 * {@link CodecException}.
 */
public record CoseSign1(byte[] protectedHeader, CborValue.CborMap unprotectedHeader, byte[] payload, byte[] signature) {
    public static final long TAG = 18;
    public static final long HEADER_ALG = 1;
    public static final long HEADER_CRIT = 2;
    public static final long HEADER_KID = 4;
    public static final long ALG_EDDSA = -8;

    public CoseSign1 {
        protectedHeader = protectedHeader.clone();
        payload = payload == null ? null : payload.clone();
        signature = signature.clone();
        Objects.requireNonNull(unprotectedHeader, "unprotectedHeader");
    }

    @Override
    public byte[] protectedHeader() {
        return protectedHeader.clone();
    }

    /** The attached payload, or null when it is detached. */
    @Override
    public byte[] payload() {
        return payload == null ? null : payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs {@code payload} with protected header {1: -8} and {@code kid} in the unprotected header. */
    public static CoseSign1 sign(byte[] privateKey, byte[] kid, byte[] payload) {
        CborValue.CborMap prot = CborValue.map(CborValue.of(HEADER_ALG), CborValue.of(ALG_EDDSA));
        CborValue.CborMap unprot = CborValue.map(CborValue.of(HEADER_KID), CborValue.of(kid));
        return sign(privateKey, Cbor.encodeDeterministic(prot), unprot, payload, new byte[0]);
    }

    /** Signs {@code detachedPayload} without carrying it: the message has a null payload. */
    public static CoseSign1 signDetached(byte[] privateKey, byte[] protectedHeader, CborValue.CborMap unprotected, byte[] detachedPayload) {
        byte[] toBeSigned = sigStructure(protectedHeader, new byte[0], detachedPayload);
        return new CoseSign1(protectedHeader, unprotected, null, Ed25519.sign(privateKey, toBeSigned));
    }

    /** The same signature with another unprotected header (which the signature does not cover). */
    public CoseSign1 withUnprotected(CborValue.CborMap unprotected) {
        return new CoseSign1(protectedHeader, unprotected, payload, signature);
    }

    /** Signs with a caller-chosen serialized protected header (which must carry alg -8) and external AAD. */
    public static CoseSign1 sign(byte[] privateKey, byte[] protectedHeader, CborValue.CborMap unprotected, byte[] payload, byte[] externalAad) {
        byte[] toBeSigned = sigStructure(protectedHeader, externalAad, payload);
        return new CoseSign1(protectedHeader, unprotected, payload, Ed25519.sign(privateKey, toBeSigned));
    }

    /** The bytes that are signed: Sig_structure for COSE_Sign1 (RFC 9052 §4.4). */
    public static byte[] sigStructure(byte[] protectedHeader, byte[] externalAad, byte[] payload) {
        return Cbor.encodeDeterministic(CborValue.array(
                CborValue.of("Signature1"), CborValue.of(protectedHeader), CborValue.of(externalAad), CborValue.of(payload)));
    }

    /** True when the signature is valid for {@code publicKey} (empty external AAD). Never throws. */
    public boolean verify(byte[] publicKey) {
        return verify(publicKey, new byte[0]);
    }

    public boolean verify(byte[] publicKey, byte[] externalAad) {
        return payload != null && Ed25519.verify(publicKey, sigStructure(protectedHeader, externalAad, payload), signature);
    }

    /** True when the signature is valid for {@code publicKey} over a detached payload. Never throws. */
    public boolean verifyDetached(byte[] publicKey, byte[] detachedPayload) {
        return payload == null && detachedPayload != null
                && Ed25519.verify(publicKey, sigStructure(protectedHeader, new byte[0], detachedPayload), signature);
    }

    /** The decoded protected header map (validated by {@link #decode}). */
    public CborValue.CborMap protectedMap() {
        try {
            return (CborValue.CborMap) Cbor.decode(protectedHeader);
        } catch (CodecException | ClassCastException e) {
            throw new IllegalStateException("protected header is not a map", e);
        }
    }

    /** The key id (label 4) from the protected header, else the unprotected one, or null. */
    public byte[] kid() {
        CborValue p = protectedMap().get(HEADER_KID);
        if (p instanceof CborValue.ByteString b) {
            return b.bytes();
        }
        CborValue v = unprotectedHeader.get(HEADER_KID);
        return v instanceof CborValue.ByteString b ? b.bytes() : null;
    }

    /** The tagged COSE_Sign1 encoding. */
    public byte[] encode() {
        return Cbor.encode(new CborValue.Tagged(TAG, CborValue.array(
                CborValue.of(protectedHeader), unprotectedHeader, payload == null ? CborValue.NULL : CborValue.of(payload),
                CborValue.of(signature))));
    }

    /**
     * Parses a tagged COSE_Sign1 and checks its shape: protected header a map with alg -8 and no
     * crit, unprotected header a map (kid a byte string if present), attached payload, 64-byte
     * signature. Does not verify the signature.
     */
    public static CoseSign1 decode(byte[] bytes) throws CodecException {
        CborValue top = Cbor.decode(bytes);
        if (!(top instanceof CborValue.Tagged(long tag, CborValue content)) || tag != TAG) {
            throw new CodecException("COSE_Sign1", 0, "not a COSE_Sign1 message (CBOR tag 18 expected)");
        }
        if (!(content instanceof CborValue.Array arr) || arr.size() != 4) {
            throw new CodecException("COSE_Sign1", 0, "expected an array of 4 items");
        }
        if (!(arr.get(0) instanceof CborValue.ByteString prot)) {
            throw new CodecException("COSE_Sign1.protected", 0, "expected a byte string");
        }
        if (!(arr.get(1) instanceof CborValue.CborMap unprot)) {
            throw new CodecException("COSE_Sign1.unprotected", 0, "expected a map");
        }
        byte[] payload;
        if (arr.get(2) instanceof CborValue.ByteString b) {
            payload = b.bytes();
        } else if (CborValue.NULL.equals(arr.get(2))) {
            payload = null;
        } else {
            throw new CodecException("COSE_Sign1.payload", 0, "expected a byte string or null (detached)");
        }
        if (!(arr.get(3) instanceof CborValue.ByteString sig) || sig.length() != Ed25519.SIGNATURE_LENGTH) {
            throw new CodecException("COSE_Sign1.signature", 0, "expected a 64-byte Ed25519 signature");
        }
        CborValue protMap;
        try {
            protMap = Cbor.decode(prot.bytes());
        } catch (CodecException e) {
            throw new CodecException("COSE_Sign1.protected", e.offset(), e.getMessage());
        }
        if (!(protMap instanceof CborValue.CborMap pm)) {
            throw new CodecException("COSE_Sign1.protected", 0, "expected a serialized header map");
        }
        CborValue alg = pm.get(HEADER_ALG);
        if (alg == null || !alg.isInteger() || !alg.asBigInteger().equals(BigInteger.valueOf(ALG_EDDSA))) {
            throw new CodecException("COSE_Sign1.protected.alg", 0, "unsupported algorithm (only EdDSA, -8)");
        }
        if (pm.get(HEADER_CRIT) != null) {
            throw new CodecException("COSE_Sign1.protected.crit", 0, "critical header parameters are not supported");
        }
        if (unprot.get(HEADER_ALG) != null) {
            throw new CodecException("COSE_Sign1.unprotected.alg", 0, "alg must be in the protected header");
        }
        CborValue kid = unprot.get(HEADER_KID);
        if (kid != null && !(kid instanceof CborValue.ByteString)) {
            throw new CodecException("COSE_Sign1.unprotected.kid", 0, "expected a byte string");
        }
        CborValue pkid = pm.get(HEADER_KID);
        if (pkid != null && !(pkid instanceof CborValue.ByteString)) {
            throw new CodecException("COSE_Sign1.protected.kid", 0, "expected a byte string");
        }
        return new CoseSign1(prot.bytes(), unprot, payload, sig.bytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoseSign1 c && Arrays.equals(protectedHeader, c.protectedHeader)
                && unprotectedHeader.equals(c.unprotectedHeader) && Arrays.equals(payload, c.payload)
                && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "CoseSign1[payload=" + (payload == null ? "detached" : payload.length + " bytes") + "]";
    }
}
