package org.aivillage.navigator;

/**
 * Bounds on the work and memory of one search.
 *
 * @param maxLabels budget of labels (partial paths) of a constrained or Pareto search; a search
 *                  that reaches it stops and says so instead of growing without bound
 */
public record SearchLimits(int maxLabels) {
    /** 2,000,000 labels: about 80 MB in the worst case. */
    public static final SearchLimits DEFAULT = new SearchLimits(2_000_000);

    public SearchLimits {
        if (maxLabels < 1) {
            throw new IllegalArgumentException("maxLabels must be >= 1, got " + maxLabels);
        }
    }
}
