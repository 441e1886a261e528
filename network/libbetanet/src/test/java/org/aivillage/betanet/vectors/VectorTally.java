package org.aivillage.betanet.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the vectors of one file: how many ran, how many were left out and why, and which failed.
 * {@link #finish(int)} prints the counts and asserts that every vector either ran or was excluded
 * with a stated reason, that at least one ran, and that none failed.
 */
public final class VectorTally {
    private final String file;
    private int ran;
    private final Map<String, Integer> excluded = new LinkedHashMap<>();
    private final Map<String, Integer> outcomes = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();

    public VectorTally(String file) {
        this.file = file;
    }

    /** One vector ran; {@code outcome} names how it was judged (e.g. "valid", "acceptable: rejected"). */
    public void ran(String outcome) {
        ran++;
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** One vector was not run, for the stated reason. */
    public void excluded(String reason) {
        excluded.merge(reason, 1, Integer::sum);
    }

    /** One vector ran and did not give the expected result. */
    public void failed(String id, String what) {
        ran++;
        failures.add(id + ": " + what);
    }

    public int ran() {
        return ran;
    }

    public int excludedCount() {
        return excluded.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Asserts the bookkeeping against the file's total and returns the number of vectors run. */
    public int finish(int expectedTotal) {
        System.out.printf("[vectors] %s: ran %d of %d %s; excluded %d %s%n", file, ran, expectedTotal, outcomes,
                excludedCount(), excluded);
        assertThat(failures).as("%s: failing vectors", file).isEmpty();
        assertThat(ran).as("%s: vectors run", file).isPositive();
        assertThat(ran).as("%s: vectors run = total - justified exclusions %s", file, excluded)
                .isEqualTo(expectedTotal - excludedCount());
        return ran;
    }
}
