package org.aivillage.betanet.htx;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The carrier policy a decoy site publishes with its ticket key (Betanet 1.1 §5.2), e.g.
 * {@code v1; carriers=cookie:0.5,query:0.3,body:0.2; len=24..64}: the weight of each carrier and
 * the padding length range.
 */
public record TicketPolicy(Map<TicketCarrier, Double> carriers, int minPadding, int maxPadding) {
    public static final int MAX_PADDING = 64;
    public static final TicketPolicy DEFAULT = new TicketPolicy(
            Map.of(TicketCarrier.COOKIE, 0.5, TicketCarrier.QUERY, 0.3, TicketCarrier.BODY, 0.2), 24, 64);

    public TicketPolicy {
        Objects.requireNonNull(carriers, "carriers");
        EnumMap<TicketCarrier, Double> copy = new EnumMap<>(TicketCarrier.class);
        double sum = 0;
        for (Map.Entry<TicketCarrier, Double> e : carriers.entrySet()) {
            double w = e.getValue();
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("carrier weight must be >= 0: " + e.getKey());
            }
            if (w > 0) {
                copy.put(e.getKey(), w);
                sum += w;
            }
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("at least one carrier needs a positive weight");
        }
        if (minPadding < 0 || maxPadding > MAX_PADDING || minPadding > maxPadding) {
            throw new IllegalArgumentException("padding range must be within 0.." + MAX_PADDING);
        }
        carriers = Collections.unmodifiableMap(copy);
    }

    /** A policy that always uses one carrier (tests, fixed deployments). */
    public static TicketPolicy only(TicketCarrier carrier) {
        return new TicketPolicy(Map.of(carrier, 1.0), DEFAULT.minPadding, DEFAULT.maxPadding);
    }

    /** Picks a carrier by weight. */
    public TicketCarrier pickCarrier(RandomGenerator random) {
        double sum = carriers.values().stream().mapToDouble(Double::doubleValue).sum();
        double r = random.nextDouble() * sum;
        TicketCarrier last = null;
        for (Map.Entry<TicketCarrier, Double> e : carriers.entrySet()) {
            last = e.getKey();
            r -= e.getValue();
            if (r < 0) return last;
        }
        return last;
    }

    /** Picks a padding length in [minPadding, maxPadding]. */
    public int pickPadding(RandomGenerator random) {
        return minPadding + random.nextInt(maxPadding - minPadding + 1);
    }

    /** The {@code BN-Ticket} header value. */
    public String format() {
        StringBuilder sb = new StringBuilder("v1; carriers=");
        boolean first = true;
        for (Map.Entry<TicketCarrier, Double> e : carriers.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(e.getKey().token()).append(':').append(e.getValue());
        }
        return sb.append("; len=").append(minPadding).append("..").append(maxPadding).toString();
    }

    /** Parses a {@code BN-Ticket} header value. */
    public static TicketPolicy parse(String value) throws TicketFormatException {
        if (value == null) {
            throw new TicketFormatException("policy", 0, "missing");
        }
        String[] parts = value.split(";", -1);
        if (!parts[0].strip().equals("v1")) {
            throw new TicketFormatException("version", 0, "expected v1");
        }
        Map<TicketCarrier, Double> carriers = null;
        int min = -1;
        int max = -1;
        int offset = parts[0].length() + 1;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.startsWith("carriers=")) {
                carriers = new EnumMap<>(TicketCarrier.class);
                for (String item : p.substring(9).split(",", -1)) {
                    int colon = item.indexOf(':');
                    TicketCarrier c = TicketCarrier.fromToken(colon < 0 ? item.strip() : item.substring(0, colon).strip());
                    if (c == null || colon < 0 || carriers.containsKey(c)) {
                        throw new TicketFormatException("carriers", offset, "bad carrier entry");
                    }
                    try {
                        double w = Double.parseDouble(item.substring(colon + 1).strip());
                        if (!(w >= 0) || Double.isInfinite(w)) {
                            throw new NumberFormatException();
                        }
                        carriers.put(c, w);
                    } catch (NumberFormatException e) {
                        throw new TicketFormatException("carriers", offset, "bad weight");
                    }
                }
            } else if (p.startsWith("len=")) {
                String[] range = p.substring(4).split("\\.\\.", -1);
                try {
                    if (range.length != 2) throw new NumberFormatException();
                    min = Integer.parseInt(range[0].strip());
                    max = Integer.parseInt(range[1].strip());
                } catch (NumberFormatException e) {
                    throw new TicketFormatException("len", offset, "expected MIN..MAX");
                }
            } else if (!p.isEmpty()) {
                throw new TicketFormatException("policy", offset, "unknown item");
            }
            offset += parts[i].length() + 1;
        }
        if (carriers == null) {
            throw new TicketFormatException("carriers", value.length(), "missing");
        }
        if (min < 0) {
            throw new TicketFormatException("len", value.length(), "missing");
        }
        try {
            return new TicketPolicy(carriers, min, max);
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException("policy", 0, e.getMessage());
        }
    }
}
