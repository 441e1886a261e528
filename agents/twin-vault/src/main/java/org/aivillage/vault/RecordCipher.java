package org.aivillage.vault;

import org.aivillage.betanet.crypto.Aead;

/**
 * The AEAD that seals twin records (versions and changes). Every record names its cipher in its
 * first byte, so records sealed under any setting stay readable whatever is configured later.
 */
public enum RecordCipher {
    /**
     * AES-256-GCM for records of {@value #AUTO_GCM_FROM} bytes and more when this JVM runs AES on the
     * CPU's AES instructions; XChaCha20-Poly1305 for smaller records and on CPUs without them.
     * Measured here (docs/benchmarks.md, Twin vault): a fresh-key XChaCha20-Poly1305 open costs
     * 0.7 µs at 256 B against 2.6 µs for the JDK's AES-GCM (cipher lookup, key expansion, GHASH
     * set-up), the two meet near 4 KiB, and at 64 KiB GCM takes 8.5 µs against 19 µs. Without AES
     * instructions the JDK's AES is table-based: slow and not constant-time, so never chosen.
     */
    AUTO,
    /** AES-256-GCM for every record (96-bit random nonces; each data key seals one twin's records). */
    AES_256_GCM,
    /** XChaCha20-Poly1305 for every record (192-bit random nonces). */
    XCHACHA20_POLY1305;

    /** Records at least this long are sealed with AES-256-GCM by {@link #AUTO} on AES hardware. */
    public static final int AUTO_GCM_FROM = 4096;

    /** The cipher for a record of {@code plaintextLength} bytes. */
    public Aead.Algorithm forRecord(int plaintextLength) {
        return switch (this) {
            case AES_256_GCM -> Aead.Algorithm.AES_256_GCM;
            case XCHACHA20_POLY1305 -> Aead.Algorithm.XCHACHA20_POLY1305;
            case AUTO -> plaintextLength >= AUTO_GCM_FROM && HardwareAes.PRESENT ? Aead.Algorithm.AES_256_GCM
                    : Aead.Algorithm.XCHACHA20_POLY1305;
        };
    }

    /** True when this JVM uses the CPU's AES instructions (what {@link #AUTO} relies on). */
    public static boolean hardwareAes() {
        return HardwareAes.PRESENT;
    }

    private static final class HardwareAes {
        /** HotSpot's {@code UseAES}: on by default exactly when the CPU has AES instructions; off elsewhere. */
        static final boolean PRESENT = detect();

        private static boolean detect() {
            try {
                var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return bean != null && "true".equals(bean.getVMOption("UseAES").getValue());
            } catch (RuntimeException | LinkageError e) {
                return false; // not HotSpot, or the flag is unknown: assume no AES instructions
            }
        }
    }
}
