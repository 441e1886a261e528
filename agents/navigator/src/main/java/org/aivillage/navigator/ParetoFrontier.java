package org.aivillage.navigator;

import java.util.List;

/**
 * Paths that are Pareto-optimal over (latency, cost, reliability): no other path is at least as
 * good in all three and better in one. One path per distinct (latency, cost, reliability) vector.
 *
 * @param paths     the frontier, sorted by latency, then cost
 * @param complete  false when the search hit its label budget: the paths are then non-dominated
 *                  among those explored, but the frontier may miss some
 * @param truncated true when the frontier held more than the requested number of paths and was
 *                  thinned to that number (extremes kept, the rest evenly spaced by latency)
 */
public record ParetoFrontier(List<Path> paths, boolean complete, boolean truncated) {
    public ParetoFrontier {
        paths = List.copyOf(paths);
    }
}
