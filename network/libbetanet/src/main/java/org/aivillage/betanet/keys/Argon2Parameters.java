package org.aivillage.betanet.keys;

import org.aivillage.betanet.crypto.Argon2id;

/**
 * Argon2id cost parameters for passphrase-protected key files, as written in the file. The
 * derivation itself is {@link Argon2id} of the crypto facade. {@link #DEFAULT} is RFC 9106's
 * second recommended option: 64 MiB, 3 passes, 4 lanes. Loading refuses parameters above
 * {@link #MAX_MEMORY_KIB} / {@link #MAX_ITERATIONS} / {@link #MAX_PARALLELISM} so that a hostile
 * file cannot exhaust memory; below them, {@link Argon2id.Parameters}' rules apply.
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {
    public static final Argon2Parameters DEFAULT = of(Argon2id.Parameters.DEFAULT);
    public static final int MAX_MEMORY_KIB = 1024 * 1024;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 16;

    public Argon2Parameters {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism must be 1.." + MAX_PARALLELISM + ", was " + parallelism);
        }
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                    + " KiB, was " + memoryKib);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations must be 1.." + MAX_ITERATIONS + ", was " + iterations);
        }
    }

    /** The same costs as facade parameters. */
    public Argon2id.Parameters toArgon2id() {
        return new Argon2id.Parameters(memoryKib, iterations, parallelism);
    }

    /** Key-file parameters from facade parameters; fails if they exceed the key-file limits. */
    public static Argon2Parameters of(Argon2id.Parameters p) {
        return new Argon2Parameters(p.memoryKiB(), p.iterations(), p.parallelism());
    }
}
