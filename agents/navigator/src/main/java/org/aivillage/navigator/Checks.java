package org.aivillage.navigator;

/** Argument checks shared by the value types; every failure names the field and the value. */
final class Checks {
    private Checks() {}

    static double nonNegativeFinite(String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    static double positiveFinite(String field, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    static double probability(String field, double value) {
        if (Double.isNaN(value) || value < 0 || value > 1) {
            throw new IllegalArgumentException(field + " must be within [0, 1], got " + value);
        }
        return value;
    }

    static String nodeId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(field + " must be a non-empty node id");
        }
        return id;
    }
}
