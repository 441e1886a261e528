package org.aivillage.navigator;

import java.util.Optional;
import java.util.Set;

/** What {@code findPath} answers: a path, or why there is none. */
public sealed interface RouteResult {

    /** The optimal path for the request. */
    record Found(Path route) implements RouteResult {}

    /**
     * No path satisfies the request.
     *
     * @param kind          why, in one word
     * @param excludedBy    the constraints that excluded the best candidates: those that no path can
     *                      meet on their own, or else (kind {@link Kind#CONSTRAINTS_COMBINED}) those
     *                      that the best candidate violates
     * @param bestCandidate the best path for the goal when the latency, reliability and hop
     *                      constraints are ignored, if there is one
     * @param explanation   one sentence for people
     */
    record NoRoute(Kind kind, Set<Constraint> excludedBy, Optional<Path> bestCandidate, String explanation)
            implements RouteResult {
        public NoRoute {
            excludedBy = Set.copyOf(excludedBy);
        }
    }

    /** Why there is no route. */
    enum Kind {
        /** The destination cannot be reached at all (failed, avoided or missing links). */
        UNREACHABLE,
        /** At least one constraint cannot be met by any path on its own. */
        CONSTRAINT,
        /** Each constraint can be met alone, but no path meets all of them together. */
        CONSTRAINTS_COMBINED,
        /** The search stopped at its label budget before proving anything. */
        SEARCH_LIMIT
    }

    /** The path, if one was found. */
    default Optional<Path> path() {
        return this instanceof Found f ? Optional.of(f.route()) : Optional.empty();
    }
}
