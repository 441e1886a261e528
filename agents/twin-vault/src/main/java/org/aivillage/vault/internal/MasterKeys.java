package org.aivillage.vault.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Hkdf;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.MasterKeySource;
import org.aivillage.vault.VaultException;
import org.aivillage.vault.WrongKeyException;

/**
 * The top of the key hierarchy: master key (from a key file, raw config key or Argon2id over a
 * passphrase) → key-encryption key KEK = HKDF-SHA256(master, salt = vault id,
 * info = "aivillage twin-vault kek v1") → wraps each twin's data key and the device signing key.
 */
public final class MasterKeys {
    private static final byte[] KEK_INFO = "aivillage twin-vault kek v1".getBytes(StandardCharsets.US_ASCII);

    /** Argon2id salt and cost as stored in the vault ({@code meta.kdf}) and in backup manifests. */
    public record Kdf(byte[] salt, int memoryKiB, int iterations, int parallelism) {
        public Kdf {
            salt = salt.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        public static Kdf fresh(MasterKeySource.Argon2Cost cost) {
            return new Kdf(Randomness.bytes(16), cost.memoryKiB(), cost.iterations(), cost.parallelism());
        }

        public CborValue toCbor() {
            return CborValue.map(CborValue.of(1), CborValue.of("argon2id"), CborValue.of(2), CborValue.of(salt),
                    CborValue.of(3), CborValue.of(memoryKiB), CborValue.of(4), CborValue.of(iterations),
                    CborValue.of(5), CborValue.of(parallelism));
        }

        public byte[] encode() {
            return Cbor.encodeDeterministic(toCbor());
        }

        public static Kdf fromCbor(CborValue v) throws CodecException {
            if (!(v instanceof CborValue.CborMap m) || !(m.get(1) instanceof CborValue.TextString alg)
                    || !alg.text().equals("argon2id") || !(m.get(2) instanceof CborValue.ByteString salt)
                    || salt.length() < 8 || salt.length() > 64) {
                throw new CodecException("kdf", 0, "expected {1: \"argon2id\", 2: salt, 3: m, 4: t, 5: p}");
            }
            long mem = int32(m.get(3), "kdf.memory");
            long t = int32(m.get(4), "kdf.iterations");
            long p = int32(m.get(5), "kdf.parallelism");
            try {
                new MasterKeySource.Argon2Cost((int) mem, (int) t, (int) p);
            } catch (IllegalArgumentException e) {
                throw new CodecException("kdf", 0, e.getMessage());
            }
            if (mem > 4L << 20) {
                throw new CodecException("kdf.memory", 0, "more than 4 GiB");
            }
            return new Kdf(salt.bytes(), (int) mem, (int) t, (int) p);
        }

        public static Kdf decode(byte[] b) throws CodecException {
            return fromCbor(Cbor.decode(b));
        }

        private static long int32(CborValue v, String f) throws CodecException {
            if (!(v instanceof CborValue.UnsignedInt u) || u.bits() < 0 || u.bits() > Integer.MAX_VALUE) {
                throw new CodecException(f, 0, "expected an unsigned 31-bit integer");
            }
            return u.bits();
        }
    }

    private MasterKeys() {}

    /**
     * The 32-byte master key. For a passphrase, {@code kdf} must be given (the stored parameters,
     * or fresh ones for a new vault).
     */
    public static byte[] master(MasterKeySource src, Kdf kdf) {
        return switch (src) {
            case MasterKeySource.RawKey r -> r.key();
            case MasterKeySource.KeyFile f -> readKeyFile(f);
            case MasterKeySource.Passphrase p -> {
                if (kdf == null) {
                    throw new WrongKeyException("this vault was not created with a passphrase; open it with its key");
                }
                yield PassphraseKdf.derive(p, kdf);
            }
        };
    }

    private static byte[] readKeyFile(MasterKeySource.KeyFile f) {
        byte[] content;
        try {
            content = Files.readAllBytes(f.path());
        } catch (IOException e) {
            throw new VaultException("cannot read key file " + f.path() + ": " + e.getClass().getSimpleName());
        }
        try {
            if (content.length == 32) {
                return content.clone();
            }
            String text = new String(content, StandardCharsets.US_ASCII).strip();
            if (text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(text);
            }
            throw new VaultException("key file " + f.path() + " must hold 32 raw bytes or 64 hex digits");
        } finally {
            Sealer.wipe(content);
        }
    }

    public static byte[] kek(byte[] master, byte[] vaultId) {
        return Hkdf.sha256(master, vaultId, KEK_INFO, 32);
    }
}
