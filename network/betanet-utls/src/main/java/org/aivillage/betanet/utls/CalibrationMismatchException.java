package org.aivillage.betanet.utls;

import java.io.IOException;
import java.util.List;

/**
 * Origin calibration failed closed (Betanet 1.1 §5.1): the origin and the template, or the
 * pre-flight and the baseline, disagree. {@link #mismatches()} lists every difference found.
 */
public class CalibrationMismatchException extends IOException {
    private final List<String> mismatches;

    public CalibrationMismatchException(List<String> mismatches) {
        super("origin calibration mismatch: " + String.join("; ", mismatches));
        this.mismatches = List.copyOf(mismatches);
    }

    public List<String> mismatches() {
        return mismatches;
    }
}
