package org.aivillage.vault.internal;

import java.util.Objects;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Argon2id;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.vault.MasterKeySource;

/**
 * How a passphrase vault turns its passphrase into the master key: Argon2id (RFC 9106, version
 * 0x13) with a random salt and the costs chosen when the vault was created or last rotated. Kept
 * in {@code meta.passphrase_kdf} and in every backup manifest, so the passphrase alone opens the
 * vault or a backup of it.
 *
 * <pre>
 * kdf = {1: "argon2id", 2: 19 (version 0x13), 3: memory KiB, 4: iterations, 5: parallelism, 6: salt (bstr 16)}
 * master key = Argon2id(passphrase UTF-8, salt, memory, iterations, parallelism, 32 bytes)
 * </pre>
 *
 * Stored parameters are bounded ({@link #MAX_MEMORY_KIB}, {@link #MAX_ITERATIONS},
 * {@link #MAX_PARALLELISM}) so a hostile database or backup cannot make opening exhaust memory.
 */
public record PassphraseKdf(Argon2id.Parameters params, byte[] salt) {
    public static final String ALGORITHM = "argon2id";
    public static final int VERSION = 0x13;
    public static final int SALT_LENGTH = 16;
    public static final int MAX_MEMORY_KIB = MasterKeySource.Passphrase.MAX_MEMORY_KIB;
    public static final int MAX_ITERATIONS = MasterKeySource.Passphrase.MAX_ITERATIONS;
    public static final int MAX_PARALLELISM = MasterKeySource.Passphrase.MAX_PARALLELISM;

    public PassphraseKdf {
        Objects.requireNonNull(params, "params");
        params.requireAtMost(MAX_MEMORY_KIB, MAX_ITERATIONS, MAX_PARALLELISM);
        if (salt == null || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("the passphrase salt must be " + SALT_LENGTH + " bytes");
        }
        salt = salt.clone();
    }

    /** New parameters with a fresh random salt. */
    public static PassphraseKdf fresh(Argon2id.Parameters params) {
        return new PassphraseKdf(params, Randomness.bytes(SALT_LENGTH));
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** The 32-byte master key of {@code passphrase}; the caller wipes it. */
    public byte[] masterKey(char[] passphrase) {
        return Argon2id.derive(passphrase, salt, params, 32);
    }

    public CborValue toCbor() {
        return CborValue.map(
                CborValue.of(1), CborValue.of(ALGORITHM),
                CborValue.of(2), CborValue.of(VERSION),
                CborValue.of(3), CborValue.of(params.memoryKiB()),
                CborValue.of(4), CborValue.of(params.iterations()),
                CborValue.of(5), CborValue.of(params.parallelism()),
                CborValue.of(6), CborValue.of(salt));
    }

    public byte[] encode() {
        return Cbor.encodeDeterministic(toCbor());
    }

    public static PassphraseKdf decode(byte[] bytes) throws CodecException {
        return fromCbor(Cbor.decodeDeterministic(bytes), "kdf");
    }

    /** Reads the map above; {@code field} names it in errors (e.g. "manifest.kdf"). */
    public static PassphraseKdf fromCbor(CborValue v, String field) throws CodecException {
        if (!(v instanceof CborValue.CborMap m) || m.entries().size() != 6) {
            throw new CodecException(field, 0, "expected a map of 6 entries");
        }
        if (!(m.get(1) instanceof CborValue.TextString alg) || !alg.text().equals(ALGORITHM)) {
            throw new CodecException(field + ".algorithm", 0, "expected \"" + ALGORITHM + "\"");
        }
        if (uint(m.get(2), field + ".version") != VERSION) {
            throw new CodecException(field + ".version", 0, "expected Argon2 version 0x13");
        }
        long mem = uint(m.get(3), field + ".memory");
        long t = uint(m.get(4), field + ".iterations");
        long p = uint(m.get(5), field + ".parallelism");
        if (!(m.get(6) instanceof CborValue.ByteString salt) || salt.length() != SALT_LENGTH) {
            throw new CodecException(field + ".salt", 0, "expected " + SALT_LENGTH + " bytes");
        }
        if (mem > MAX_MEMORY_KIB || t > MAX_ITERATIONS || p > MAX_PARALLELISM) {
            throw new CodecException(field, 0, "Argon2id costs above the vault's limits (" + MAX_MEMORY_KIB + " KiB, "
                    + MAX_ITERATIONS + " iterations, " + MAX_PARALLELISM + " lanes)");
        }
        try {
            return new PassphraseKdf(new Argon2id.Parameters((int) mem, (int) t, (int) p), salt.bytes());
        } catch (IllegalArgumentException e) {
            throw new CodecException(field, 0, e.getMessage());
        }
    }

    private static long uint(CborValue v, String f) throws CodecException {
        if (!(v instanceof CborValue.UnsignedInt u) || u.bits() < 0) {
            throw new CodecException(f, 0, "expected an unsigned integer");
        }
        return u.bits();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PassphraseKdf k && params.equals(k.params) && java.util.Arrays.equals(salt, k.salt);
    }

    @Override
    public int hashCode() {
        return params.hashCode() * 31 + java.util.Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "argon2id(" + params.memoryKiB() + " KiB, t=" + params.iterations() + ", p=" + params.parallelism() + ")";
    }
}
