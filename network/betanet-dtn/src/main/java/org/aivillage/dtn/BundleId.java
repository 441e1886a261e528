package org.aivillage.dtn;

/**
 * Identifies a bundle (RFC 9171 section 4.2.8 / 5.8): source, creation timestamp and, for a
 * fragment, its offset and length. {@code fragmentLength} is -1 for a whole bundle.
 */
public record BundleId(EndpointId source, CreationTimestamp creationTimestamp, long fragmentOffset, long fragmentLength) {

    public static BundleId whole(EndpointId source, CreationTimestamp ts) {
        return new BundleId(source, ts, 0, -1);
    }

    public boolean isFragment() {
        return fragmentLength >= 0;
    }

    /** The id of the whole bundle this fragment belongs to (itself if not a fragment). */
    public BundleId wholeBundle() {
        return isFragment() ? whole(source, creationTimestamp) : this;
    }

    /** A stable text key: {@code source|time|seq} plus {@code |offset|length} for fragments. */
    public String key() {
        String base = source + "|" + creationTimestamp.dtnTimeMillis() + "|" + creationTimestamp.sequence();
        return isFragment() ? base + "|" + fragmentOffset + "|" + fragmentLength : base;
    }

    /** Parses {@link #key()}. */
    public static BundleId parseKey(String key) {
        String[] p = key.split("\\|");
        if (p.length != 3 && p.length != 5) {
            throw new IllegalArgumentException("not a bundle id key: " + key);
        }
        try {
            CreationTimestamp ts = new CreationTimestamp(Long.parseLong(p[1]), Long.parseLong(p[2]));
            EndpointId src = EndpointId.parse(p[0]);
            return p.length == 3 ? whole(src, ts) : new BundleId(src, ts, Long.parseLong(p[3]), Long.parseLong(p[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a bundle id key: " + key);
        }
    }

    @Override
    public String toString() {
        return key();
    }
}
