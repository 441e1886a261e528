package org.aivillage.fabric;

/**
 * What one replica of a service reserves on the node that hosts it; admission control adds these
 * up against the node's {@link ResourceLimits}.
 *
 * @param cpuCores CPU cores reserved per replica (fractions allowed), &gt;= 0
 * @param memoryMb memory reserved per replica in MB, &gt;= 0
 */
public record ResourceRequirements(double cpuCores, long memoryMb) {
    /** A small default: a tenth of a core and 64 MB. */
    public static final ResourceRequirements SMALL = new ResourceRequirements(0.1, 64);

    public ResourceRequirements {
        if (!(cpuCores >= 0) || !Double.isFinite(cpuCores)) {
            throw new IllegalArgumentException("cpuCores must be >= 0, got " + cpuCores);
        }
        if (memoryMb < 0) {
            throw new IllegalArgumentException("memoryMb must be >= 0, got " + memoryMb);
        }
    }
}
