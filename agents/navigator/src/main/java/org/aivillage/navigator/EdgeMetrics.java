package org.aivillage.navigator;

/**
 * Metrics of one directed link.
 *
 * <p>An edge whose reliability or bandwidth is 0 can never carry traffic; every search skips it,
 * exactly as it skips a failed edge.
 *
 * @param latencyMs     one-way latency in milliseconds (finite, &gt;= 0)
 * @param bandwidthMbps available bandwidth in Mbit/s (finite, &gt;= 0)
 * @param reliability   probability that the link delivers, within [0, 1]
 * @param cost          cost of using the link in any unit (finite, &gt;= 0)
 */
public record EdgeMetrics(double latencyMs, double bandwidthMbps, double reliability, double cost) {
    public EdgeMetrics {
        Checks.nonNegativeFinite("latencyMs", latencyMs);
        Checks.nonNegativeFinite("bandwidthMbps", bandwidthMbps);
        Checks.probability("reliability", reliability);
        Checks.nonNegativeFinite("cost", cost);
    }

    public EdgeMetrics withLatency(double latency) {
        return new EdgeMetrics(latency, bandwidthMbps, reliability, cost);
    }
}
