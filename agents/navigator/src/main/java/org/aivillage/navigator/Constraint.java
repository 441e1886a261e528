package org.aivillage.navigator;

/** The four constraints of {@link PathConstraints}, used to say which one excluded a route. */
public enum Constraint {
    MAX_LATENCY,
    MIN_BANDWIDTH,
    MIN_RELIABILITY,
    MAX_HOPS
}
