package org.aivillage.betanet.htx.internal;

import java.util.random.RandomGenerator;
import org.aivillage.betanet.htx.BehaviourPolicy;

/** The random draws of behaviour emulation (§5.5), as pure functions of a policy and a generator. */
public final class BehaviourSchedule {
    public static final double UNKNOWN_PRIORITY_MIN = 0.005;
    public static final double UNKNOWN_PRIORITY_MAX = 0.03;

    private final BehaviourPolicy policy;
    private final RandomGenerator random;

    public BehaviourSchedule(BehaviourPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** Uniform in [pingMin, pingMax], then scaled by 1 ± up to pingJitter. */
    public long nextPingDelayNanos() {
        long min = policy.pingMin().toNanos();
        long max = policy.pingMax().toNanos();
        double base = min + random.nextDouble() * (max - min);
        double jitter = 1 + (random.nextDouble() * 2 - 1) * policy.pingJitter();
        return Math.max(1, (long) (base * jitter));
    }

    /** How long without DATA before one padding frame: uniform in [idleMin, idleMax]. */
    public long nextIdleThresholdNanos() {
        long min = policy.idleMin().toNanos();
        long max = policy.idleMax().toNanos();
        return min + (long) (random.nextDouble() * (max - min));
    }

    /** Padding bytes: uniform in [0, paddingMax]. */
    public int paddingLength() {
        return random.nextInt(policy.paddingMax() + 1);
    }

    /** The PRIORITY rate for a connection: the policy's, or uniform in [0.5 %, 3 %] when unknown. */
    public double priorityRate() {
        if (!Double.isNaN(policy.priorityRate())) {
            return policy.priorityRate();
        }
        return UNKNOWN_PRIORITY_MIN + random.nextDouble() * (UNKNOWN_PRIORITY_MAX - UNKNOWN_PRIORITY_MIN);
    }

    /** Whether this connection sends a PRIORITY-shaped frame. */
    public boolean sendsPriority() {
        return random.nextDouble() < priorityRate();
    }
}
