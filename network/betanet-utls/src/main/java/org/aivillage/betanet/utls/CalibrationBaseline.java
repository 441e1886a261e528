package org.aivillage.betanet.utls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The expected shape of a front origin, learnt from one or more probes: its ALPN choice, JA4S,
 * key-exchange group, and for each HTTP/2 SETTING the range seen. A setting whose value varied
 * between probes is accepted within ±{@link #TOLERANCE} of that range; one that never varied must
 * match exactly, as must the order of the SETTINGS (Betanet 1.1 §5.1).
 */
public record CalibrationBaseline(
        Optional<String> alpn,
        String ja4s,
        int namedGroup,
        List<Integer> settingOrder,
        Map<Integer, long[]> settingRanges) {

    /** Relative tolerance for settings that vary at the origin (±15 %). */
    public static final double TOLERANCE = 0.15;

    public CalibrationBaseline {
        settingOrder = List.copyOf(settingOrder);
        Map<Integer, long[]> copy = new LinkedHashMap<>();
        settingRanges.forEach((k, v) -> copy.put(k, v.clone()));
        settingRanges = java.util.Collections.unmodifiableMap(copy);
    }

    /** A baseline from probes of one origin; they must agree on everything but varying SETTINGS values. */
    public static CalibrationBaseline of(List<OriginProfile> probes) throws CalibrationMismatchException {
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("a baseline needs at least one probe");
        }
        OriginProfile first = probes.getFirst();
        Map<Integer, long[]> ranges = new LinkedHashMap<>();
        first.h2Settings().forEach((k, v) -> ranges.put(k, new long[] {v, v}));
        List<String> problems = new ArrayList<>();
        for (OriginProfile p : probes) {
            if (!p.alpn().equals(first.alpn())) {
                problems.add("probes disagree on ALPN: " + first.alpn() + " vs " + p.alpn());
            }
            if (!List.copyOf(p.h2Settings().keySet()).equals(List.copyOf(first.h2Settings().keySet()))) {
                problems.add("probes disagree on the SETTINGS identifiers or their order");
            }
            p.h2Settings().forEach((k, v) -> {
                long[] r = ranges.get(k);
                if (r != null) {
                    r[0] = Math.min(r[0], v);
                    r[1] = Math.max(r[1], v);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new CalibrationMismatchException(problems);
        }
        return new CalibrationBaseline(first.alpn(), first.ja4s(), first.namedGroup(),
                List.copyOf(first.h2Settings().keySet()), ranges);
    }

    /** Every difference between this baseline and a pre-flight observation (empty: they agree). */
    public List<String> compare(OriginProfile observed) {
        List<String> out = new ArrayList<>();
        if (!observed.alpn().equals(alpn)) {
            out.add("ALPN " + observed.alpn().orElse("none") + " != baseline " + alpn.orElse("none"));
        }
        if (!observed.ja4s().equals(ja4s)) {
            out.add("JA4S " + observed.ja4s() + " != baseline " + ja4s);
        }
        if (observed.namedGroup() != namedGroup) {
            out.add(String.format("key exchange group 0x%04x != baseline 0x%04x", observed.namedGroup(), namedGroup));
        }
        List<Integer> order = List.copyOf(observed.h2Settings().keySet());
        if (!order.equals(settingOrder)) {
            out.add("HTTP/2 SETTINGS identifiers " + order + " != baseline " + settingOrder);
        }
        observed.h2Settings().forEach((id, value) -> {
            long[] r = settingRanges.get(id);
            if (r == null) {
                return;
            }
            boolean ok = r[0] == r[1] ? value == r[0]
                    : value >= Math.floor(r[0] * (1 - TOLERANCE)) && value <= Math.ceil(r[1] * (1 + TOLERANCE));
            if (!ok) {
                out.add("HTTP/2 SETTING " + id + " = " + value + " outside baseline "
                        + (r[0] == r[1] ? "value " + r[0] : "range " + r[0] + ".." + r[1] + " ±15%"));
            }
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CalibrationBaseline b) || !b.alpn.equals(alpn) || !b.ja4s.equals(ja4s)
                || b.namedGroup != namedGroup || !b.settingOrder.equals(settingOrder)
                || !b.settingRanges.keySet().equals(settingRanges.keySet())) {
            return false;
        }
        return settingRanges.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(),
                b.settingRanges.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return alpn.hashCode() * 31 + ja4s.hashCode();
    }
}
