package org.aivillage.vault.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;

/**
 * The manifest at the head of a backup file (signed as a COSE_Sign1 by the vault's device key):
 *
 * <pre>
 * {1: "aivillage-twin-vault-backup", 2: format (1), 3: vault id (bstr 16), 4: backup id (bstr 16),
 *  5: created (ms), 6: SHA-256 of the database snapshot, 7: snapshot size, 8: chunk size,
 *  9: chunk count, 10: backup key wrapped by the vault KEK, 11: KEK generation,
 *  12: the passphrase KDF (Argon2id salt and costs, see {@link PassphraseKdf}) / null}
 * </pre>
 */
public record BackupManifest(byte[] vaultId, byte[] backupId, Instant created, byte[] snapshotSha256, long snapshotSize,
        int chunkSize, long chunkCount, byte[] wrappedKey, long kekGeneration, PassphraseKdf passphraseKdf) {
    public static final String TYPE = "aivillage-twin-vault-backup";
    /** 2: passphrase KDF parameters in field 12 (format 1, a pre-release, held a protected key file there). */
    public static final int FORMAT = 2;
    public static final byte[] MAGIC = "AIVTVB\0\1".getBytes(StandardCharsets.ISO_8859_1);
    public static final int MAX_CHUNK = 4 << 20;

    public byte[] encode() {
        return Cbor.encodeDeterministic(CborValue.map(
                CborValue.of(1), CborValue.of(TYPE),
                CborValue.of(2), CborValue.of(FORMAT),
                CborValue.of(3), CborValue.of(vaultId),
                CborValue.of(4), CborValue.of(backupId),
                CborValue.of(5), CborValue.of(created.toEpochMilli()),
                CborValue.of(6), CborValue.of(snapshotSha256),
                CborValue.of(7), CborValue.of(snapshotSize),
                CborValue.of(8), CborValue.of(chunkSize),
                CborValue.of(9), CborValue.of(chunkCount),
                CborValue.of(10), CborValue.of(wrappedKey),
                CborValue.of(11), CborValue.of(kekGeneration),
                CborValue.of(12), passphraseKdf == null ? CborValue.NULL : passphraseKdf.toCbor()));
    }

    public static BackupManifest decode(byte[] bytes) throws CodecException {
        if (!(Cbor.decodeDeterministic(bytes) instanceof CborValue.CborMap m) || m.entries().size() != 12) {
            throw new CodecException("manifest", 0, "expected a map of 12 entries");
        }
        if (!(m.get(1) instanceof CborValue.TextString t) || !t.text().equals(TYPE)) {
            throw new CodecException("manifest.type", 0, "not a twin-vault backup");
        }
        if (uint(m.get(2), "manifest.format") != FORMAT) {
            throw new CodecException("manifest.format", 0, "unsupported backup format (format 1 backups of pre-release vaults are not readable)");
        }
        long chunkSize = uint(m.get(8), "manifest.chunk_size");
        if (chunkSize < 1 || chunkSize > MAX_CHUNK) {
            throw new CodecException("manifest.chunk_size", 0, "out of range");
        }
        long size = uint(m.get(7), "manifest.size");
        long count = uint(m.get(9), "manifest.chunks");
        if (count != Math.max(1, (size + chunkSize - 1) / chunkSize)) {
            throw new CodecException("manifest.chunks", 0, "does not match the snapshot size");
        }
        PassphraseKdf kdf = CborValue.NULL.equals(m.get(12)) ? null : PassphraseKdf.fromCbor(m.get(12), "manifest.kdf");
        return new BackupManifest(bytes(m.get(3), "manifest.vault", 16), bytes(m.get(4), "manifest.backup", 16),
                Instant.ofEpochMilli(uint(m.get(5), "manifest.created")), bytes(m.get(6), "manifest.sha256", 32), size,
                (int) chunkSize, count, bytes(m.get(10), "manifest.key", -1), uint(m.get(11), "manifest.kek_gen"), kdf);
    }

    private static long uint(CborValue v, String f) throws CodecException {
        if (!(v instanceof CborValue.UnsignedInt u) || u.bits() < 0) {
            throw new CodecException(f, 0, "expected an unsigned integer");
        }
        return u.bits();
    }

    private static byte[] bytes(CborValue v, String f, int len) throws CodecException {
        if (!(v instanceof CborValue.ByteString b) || (len >= 0 && b.length() != len) || b.length() > 256) {
            throw new CodecException(f, 0, len >= 0 ? "expected " + len + " bytes" : "expected a byte string");
        }
        return b.bytes();
    }
}
