package org.aivillage.betanet.keys;

/**
 * Argon2id cost parameters for passphrase-protected key files. {@link #DEFAULT} is RFC 9106's
 * second recommended option: 64 MiB, 3 passes, 4 lanes. Loading refuses parameters above
 * {@link #MAX_MEMORY_KIB} / {@link #MAX_ITERATIONS} so that a hostile file cannot exhaust memory.
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {
    public static final Argon2Parameters DEFAULT = new Argon2Parameters(64 * 1024, 3, 4);
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
}
