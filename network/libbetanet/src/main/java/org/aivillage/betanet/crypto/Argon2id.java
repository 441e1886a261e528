package org.aivillage.betanet.crypto;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id (RFC 9106, version 0x13): the memory-hard password hash, for turning a passphrase into
 * a key. Stateless and thread-safe; each call allocates {@code memoryKiB} KiB for its duration.
 *
 * <pre>
 * byte[] salt = Randomness.bytes(Argon2id.RECOMMENDED_SALT_LENGTH);   // store it next to the ciphertext
 * byte[] key = Argon2id.derive(passphrase, salt, Argon2id.Parameters.DEFAULT, 32);
 * </pre>
 *
 * Passphrases given as {@code char[]} are encoded as UTF-8 (malformed UTF-16 is refused); the
 * encoded copy is wiped after use. Inputs are not modified.
 */
public final class Argon2id {
    /** RFC 9106 §3.1: at least 8 bytes; 16 are recommended. */
    public static final int MIN_SALT_LENGTH = 8;
    public static final int RECOMMENDED_SALT_LENGTH = 16;
    /** RFC 9106 §3.1: tags are 4 bytes or longer. Longer than {@link #MAX_LENGTH} is refused here. */
    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 1024;

    private Argon2id() {}

    /**
     * Cost parameters: memory in KiB ({@code m}), passes ({@code t}) and lanes ({@code p}). The
     * constructor enforces RFC 9106's rules ({@code p ≥ 1}, {@code m ≥ 8·p}, {@code t ≥ 1}) and
     * upper bounds that keep a stored, possibly hostile parameter set from exhausting the machine
     * (at most {@link #MAX_MEMORY_KIB}, {@link #MAX_ITERATIONS}, {@link #MAX_PARALLELISM}).
     * Readers of stored parameters may apply tighter bounds with {@link #requireAtMost}.
     */
    public record Parameters(int memoryKiB, int iterations, int parallelism) {
        /** 4 GiB. */
        public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
        public static final int MAX_ITERATIONS = 1024;
        public static final int MAX_PARALLELISM = 255;

        /** RFC 9106 §4, second recommended option (for memory-constrained machines): 64 MiB, 3 passes, 4 lanes. */
        public static final Parameters RFC9106_LOW_MEMORY = new Parameters(64 * 1024, 3, 4);
        /** RFC 9106 §4, first recommended option: 2 GiB, 1 pass, 4 lanes. */
        public static final Parameters RFC9106_HIGH_MEMORY = new Parameters(2 * 1024 * 1024, 1, 4);
        /** The default: {@link #RFC9106_LOW_MEMORY} (about 0.1–0.3 s on one core of a 2020s server). */
        public static final Parameters DEFAULT = RFC9106_LOW_MEMORY;

        public Parameters {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("Argon2id parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
            }
            if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("Argon2id memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                        + " KiB (at least 8 KiB per lane), was " + memoryKiB);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("Argon2id iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
            }
        }

        /**
         * Returns this, or throws {@link IllegalArgumentException} naming the field if a cost
         * exceeds the given bounds (for parameters read from a file or a database).
         */
        public Parameters requireAtMost(int maxMemoryKiB, int maxIterations, int maxParallelism) {
            if (memoryKiB > maxMemoryKiB) {
                throw new IllegalArgumentException("Argon2id memory " + memoryKiB + " KiB exceeds the limit of " + maxMemoryKiB + " KiB");
            }
            if (iterations > maxIterations) {
                throw new IllegalArgumentException("Argon2id iterations " + iterations + " exceed the limit of " + maxIterations);
            }
            if (parallelism > maxParallelism) {
                throw new IllegalArgumentException("Argon2id parallelism " + parallelism + " exceeds the limit of " + maxParallelism);
            }
            return this;
        }
    }

    /** Argon2id of a passphrase's UTF-8 bytes. */
    public static byte[] derive(char[] passphrase, byte[] salt, Parameters params, int length) {
        byte[] pw = utf8(passphrase);
        try {
            return derive(pw, salt, null, null, params, length);
        } finally {
            ConstantTime.wipe(pw);
        }
    }

    /** Argon2id of password bytes. */
    public static byte[] derive(byte[] passphrase, byte[] salt, Parameters params, int length) {
        return derive(passphrase, salt, null, null, params, length);
    }

    /** As {@link #derive(char[], byte[], Parameters, int)} with the costs spelled out. */
    public static byte[] derive(char[] passphrase, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        return derive(passphrase, salt, new Parameters(memoryKiB, iterations, parallelism), length);
    }

    /** As {@link #derive(byte[], byte[], Parameters, int)} with the costs spelled out. */
    public static byte[] derive(byte[] passphrase, byte[] salt, int memoryKiB, int iterations, int parallelism, int length) {
        return derive(passphrase, salt, new Parameters(memoryKiB, iterations, parallelism), length);
    }

    /**
     * The full RFC 9106 function: with an optional {@code secret} (the key {@code K}, e.g. a pepper)
     * and optional {@code associatedData} ({@code X}); null means empty. This is the form of the
     * RFC 9106 §5.3 test vector.
     */
    public static byte[] derive(byte[] passphrase, byte[] salt, byte[] secret, byte[] associatedData, Parameters params,
            int length) {
        Objects.requireNonNull(passphrase, "passphrase");
        Objects.requireNonNull(params, "params");
        if (salt == null || salt.length < MIN_SALT_LENGTH) {
            throw new IllegalArgumentException("Argon2id salt must be at least " + MIN_SALT_LENGTH + " bytes");
        }
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("Argon2id output length must be " + MIN_LENGTH + ".." + MAX_LENGTH + " bytes, was " + length);
        }
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism());
        if (secret != null && secret.length > 0) {
            b.withSecret(secret);
        }
        if (associatedData != null && associatedData.length > 0) {
            b.withAdditional(associatedData);
        }
        Argon2Parameters p = b.build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(p);
        byte[] out = new byte[length];
        gen.generateBytes(passphrase, out);
        // The builder keeps copies of salt, secret and associated data; wipe the secret one.
        p.clear();
        return out;
    }

    /** Strict UTF-8 of a passphrase; the caller wipes the result. */
    static byte[] utf8(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        ByteBuffer encoded;
        try {
            encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(passphrase));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("passphrase is not valid Unicode (unpaired surrogate)");
        }
        byte[] pw = Arrays.copyOf(encoded.array(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        return pw;
    }
}
