package org.aivillage.fabric;

/**
 * What one fabric node offers to the agents it hosts.
 *
 * @param cpuCores CPU cores available for agents (fractions allowed), &gt; 0
 * @param memoryGb memory available for agents in GB, &gt; 0
 */
public record ResourceLimits(double cpuCores, double memoryGb) {
    public ResourceLimits {
        if (!(cpuCores > 0) || !Double.isFinite(cpuCores)) {
            throw new IllegalArgumentException("cpuCores must be > 0, got " + cpuCores);
        }
        if (!(memoryGb > 0) || !Double.isFinite(memoryGb)) {
            throw new IllegalArgumentException("memoryGb must be > 0, got " + memoryGb);
        }
    }

    /** All processors of this machine and the JVM's maximum heap. */
    public static ResourceLimits ofThisJvm() {
        return new ResourceLimits(Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024));
    }

    /** Memory in MB, the unit of {@link ResourceRequirements#memoryMb()}. */
    public long memoryMb() {
        return Math.round(memoryGb * 1024);
    }
}
