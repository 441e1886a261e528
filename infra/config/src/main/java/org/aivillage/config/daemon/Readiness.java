package org.aivillage.config.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Named readiness checks behind {@code /ready}. The daemon is ready when every registered check
 * returns true; a check that throws counts as failing. Checks are called on every {@code /ready}
 * request, so they must be cheap and must not block (read a flag or a field, do no I/O).
 * Thread-safe.
 */
public final class Readiness {
    /** Upper bound on registered checks. */
    public static final int MAX_CHECKS = 256;

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    /** Adds or replaces the check with this name. */
    public synchronized void register(String name, BooleanSupplier check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        if (!checks.containsKey(name) && checks.size() >= MAX_CHECKS) {
            throw new IllegalStateException("more than " + MAX_CHECKS + " readiness checks");
        }
        checks.put(name, check);
    }

    public synchronized void unregister(String name) {
        checks.remove(name);
    }

    /** The names of the checks that fail now, in registration order. */
    public List<String> failing() {
        List<Map.Entry<String, BooleanSupplier>> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(checks.entrySet());
        }
        List<String> failing = new ArrayList<>();
        for (Map.Entry<String, BooleanSupplier> e : snapshot) {
            boolean ok;
            try {
                ok = e.getValue().getAsBoolean();
            } catch (RuntimeException ex) {
                ok = false;
            }
            if (!ok) {
                failing.add(e.getKey());
            }
        }
        return failing;
    }

    public boolean ready() {
        return failing().isEmpty();
    }
}
