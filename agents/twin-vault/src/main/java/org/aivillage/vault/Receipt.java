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
import org.aivillage.vault.internal.Merkle;

/**
 * A signed audit receipt: one entry of the vault's audit log and a COSE Receipt (RFC 9942) that
 * proves the entry's inclusion in a batch of entries whose Merkle root (RFC 9162) the vault's
 * device key signed with EdDSA (Ed25519) over deterministic CBOR.
 *
 * <pre>
 * receipt file = [entry (bstr), cose (bstr)]
 * entry = {1: vault id (bstr 16), 2: sequence number, 3: time (ms since the epoch), 4: actor (tstr),
 *          5: operation (tstr), 6: twin id (tstr / null), 7: version (uint / null),
 *          8: outcome (ok | denied | conflict | not-found | corrupt | invalid | error),
 *          9: SHA-256 of the previous entry (zeros for the first), ? 10: detail (tstr)}
 * cose  = COSE_Sign1 [ protected {1: -8 (EdDSA), 4: signer key, 395: 1 (RFC9162_SHA256)},
 *                      unprotected {396: {-1: [ bstr .cbor [tree size, leaf index, [hash...]] ]}},
 *                      null (detached payload: the batch's Merkle root), signature ]
 * </pre>
 *
 * A verifier hashes the entry as a leaf, walks the inclusion path to a root and checks the
 * signature over that root. Entries chain by hash, so {@link TwinVault#verifyAuditLog()} also
 * detects removed or reordered entries.
 */
public record Receipt(byte[] vaultId, long seq, Instant time, String actor, String operation, String twinId,
        Long version, String outcome, byte[] previousHash, String detail, byte[] signer, long leafIndex, long treeSize,
        byte[] entry, byte[] encoded) {

    public static final String OK = "ok";
    public static final String DENIED = "denied";
    public static final String CONFLICT = "conflict";
    public static final String NOT_FOUND = "not-found";
    public static final String CORRUPT = "corrupt";
    public static final String INVALID = "invalid";

    /** COSE header parameter "vds" (verifiable data structure), RFC 9942. */
    public static final long HEADER_VDS = 395;
    /** COSE header parameter "vdp" (verifiable data proofs), RFC 9942. */
    public static final long HEADER_VDP = 396;
    /** vds value RFC9162_SHA256. */
    public static final long VDS_RFC9162_SHA256 = 1;
    /** vdp key of inclusion proofs. */
    public static final long VDP_INCLUSION = -1;
    private static final int MAX_PATH = 64;

    public Receipt {
        vaultId = vaultId.clone();
        previousHash = previousHash.clone();
        signer = signer.clone();
        entry = entry.clone();
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

    @Override
    public byte[] entry() {
        return entry.clone();
    }

    /** The receipt file (what {@code village vault verify-receipt} reads). */
    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /** SHA-256 of the entry: the next entry's {@code previousHash}. */
    public byte[] hash() {
        return Hashes.sha256(entry);
    }

    public Optional<String> twin() {
        return Optional.ofNullable(twinId);
    }

    /** True if the inclusion proof leads to a root whose signature verifies under {@code publicKey}. */
    public boolean verifySignature(byte[] publicKey) {
        try {
            Parts p = parts(encoded);
            byte[] root = Merkle.rootFromInclusionProof(p.leafIndex, p.treeSize, Merkle.leafHash(p.entry), p.path);
            return root != null && p.cose.verifyDetached(publicKey, root);
        } catch (CodecException e) {
            return false;
        }
    }

    /** An audit entry (the Merkle leaf). */
    public static byte[] entry(byte[] vaultId, long seq, Instant time, String actor, String operation, String twinId,
            Long version, String outcome, byte[] previousHash, String detail) {
        // Written key by key: the keys 1..10 are one byte each, so ascending order is the
        // deterministic (bytewise) order and no sorting pass is needed. Equal to
        // Cbor.encodeDeterministic of the same map (checked by a property test).
        org.aivillage.vault.internal.CborBuf e = new org.aivillage.vault.internal.CborBuf(
                128 + 2 * (actor.length() + operation.length() + outcome.length()) + (twinId == null ? 0 : 2 * twinId.length())
                        + (detail == null ? 0 : 2 * detail.length()));
        e.head(5, detail == null ? 9 : 10);
        e.head(0, 1).bytes(vaultId);
        e.head(0, 2).integer(seq);
        e.head(0, 3).integer(time.toEpochMilli());
        e.head(0, 4).text(actor);
        e.head(0, 5).text(operation);
        e.head(0, 6);
        if (twinId == null) {
            e.nul();
        } else {
            e.text(twinId);
        }
        e.head(0, 7);
        if (version == null) {
            e.nul();
        } else {
            e.integer(version);
        }
        e.head(0, 8).text(outcome);
        e.head(0, 9).bytes(previousHash);
        if (detail != null) {
            e.head(0, 10).text(detail);
        }
        return e.toByteArray();
    }

    /** The protected header the vault signs batches with. */
    public static byte[] protectedHeader(byte[] signer) {
        return Cbor.encodeDeterministic(CborValue.map(CborValue.of(CoseSign1.HEADER_ALG), CborValue.of(CoseSign1.ALG_EDDSA),
                CborValue.of(CoseSign1.HEADER_KID), CborValue.of(signer),
                CborValue.of(HEADER_VDS), CborValue.of(VDS_RFC9162_SHA256)));
    }

    /** The unprotected header carrying one inclusion proof. */
    public static CborValue.CborMap inclusionHeader(long treeSize, long leafIndex, List<byte[]> path) {
        List<CborValue> hashes = new ArrayList<>(path.size());
        path.forEach(h -> hashes.add(CborValue.of(h)));
        byte[] proof = Cbor.encodeDeterministic(CborValue.array(CborValue.of(treeSize), CborValue.of(leafIndex), CborValue.array(hashes)));
        return CborValue.map(CborValue.of(HEADER_VDP), CborValue.map(CborValue.of(VDP_INCLUSION), CborValue.array(CborValue.of(proof))));
    }

    /** The receipt file for an entry and its COSE Receipt. */
    public static byte[] bundle(byte[] entry, CoseSign1 receipt) {
        return Cbor.encode(CborValue.array(CborValue.of(entry), CborValue.of(receipt.encode())));
    }

    private record Parts(byte[] entry, CoseSign1 cose, long treeSize, long leafIndex, List<byte[]> path) {}

    private static Parts parts(byte[] bundle) throws CodecException {
        if (!(Cbor.decode(bundle) instanceof CborValue.Array a) || a.size() != 2
                || !(a.get(0) instanceof CborValue.ByteString entry) || !(a.get(1) instanceof CborValue.ByteString coseBytes)) {
            throw new CodecException("receipt", 0, "expected [entry, COSE receipt]");
        }
        CoseSign1 cose = CoseSign1.decode(coseBytes.bytes());
        if (cose.payload() != null) {
            throw new CodecException("receipt.payload", 0, "a COSE Receipt has a detached payload");
        }
        CborValue.CborMap prot = cose.protectedMap();
        if (!(prot.get(HEADER_VDS) instanceof CborValue.UnsignedInt vds) || vds.bits() != VDS_RFC9162_SHA256) {
            throw new CodecException("receipt.protected.vds", 0, "expected 1 (RFC9162_SHA256)");
        }
        byte[] kid = cose.kid();
        if (kid == null || kid.length != 32) {
            throw new CodecException("receipt.protected.kid", 0, "expected the signer's 32-byte Ed25519 key");
        }
        if (!(cose.unprotectedHeader().get(HEADER_VDP) instanceof CborValue.CborMap vdp)
                || !(vdp.get(VDP_INCLUSION) instanceof CborValue.Array proofs) || proofs.size() != 1
                || !(proofs.get(0) instanceof CborValue.ByteString proofBytes)) {
            throw new CodecException("receipt.unprotected.vdp", 0, "expected {-1: [one inclusion proof]}");
        }
        if (!(Cbor.decode(proofBytes.bytes()) instanceof CborValue.Array proof) || proof.size() != 3
                || !(proof.get(0) instanceof CborValue.UnsignedInt size) || size.bits() < 1
                || !(proof.get(1) instanceof CborValue.UnsignedInt index) || index.bits() < 0 || index.bits() >= size.bits()
                || !(proof.get(2) instanceof CborValue.Array pathArr) || pathArr.size() > MAX_PATH) {
            throw new CodecException("receipt.inclusion_proof", 0, "expected [tree size, leaf index < size, [hash...]]");
        }
        List<byte[]> path = new ArrayList<>(pathArr.size());
        for (int i = 0; i < pathArr.size(); i++) {
            if (!(pathArr.get(i) instanceof CborValue.ByteString h) || h.length() != 32) {
                throw new CodecException("receipt.inclusion_proof.path[" + i + "]", 0, "expected a 32-byte hash");
            }
            path.add(h.bytes());
        }
        return new Parts(entry.bytes(), cose, size.bits(), index.bits(), path);
    }

    /** Parses a receipt file; does not verify the signature. */
    public static Receipt decode(byte[] bundle) throws CodecException {
        Parts p = parts(bundle);
        CborValue e = Cbor.decodeDeterministic(p.entry);
        if (!(e instanceof CborValue.CborMap m)) {
            throw new CodecException("receipt.entry", 0, "expected a map");
        }
        for (CborValue k : m.entries().keySet()) {
            if (!(k instanceof CborValue.UnsignedInt u) || u.bits() < 1 || u.bits() > 10) {
                throw new CodecException("receipt.entry", 0, "unknown key " + k);
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
        return new Receipt(vaultId, seq, Instant.ofEpochMilli(time), actor, op, twin, version, outcome, prev, detail,
                p.cose.kid(), p.leafIndex, p.treeSize, p.entry, bundle);
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
