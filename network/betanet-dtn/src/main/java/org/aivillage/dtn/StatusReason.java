package org.aivillage.dtn;

/** Bundle status report reason codes (RFC 9171 section 6.1.1). */
public enum StatusReason {
    NO_ADDITIONAL_INFORMATION(0),
    LIFETIME_EXPIRED(1),
    FORWARDED_OVER_UNIDIRECTIONAL_LINK(2),
    TRANSMISSION_CANCELED(3),
    DEPLETED_STORAGE(4),
    DESTINATION_ENDPOINT_ID_UNAVAILABLE(5),
    NO_KNOWN_ROUTE(6),
    NO_TIMELY_CONTACT(7),
    BLOCK_UNSUPPORTED(8),
    HOP_LIMIT_EXCEEDED(9),
    TRAFFIC_PARED(10),
    BLOCK_UNINTELLIGIBLE(11);

    private final int code;

    StatusReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The reason for a code; unassigned codes map to {@link #NO_ADDITIONAL_INFORMATION}. */
    public static StatusReason of(long code) {
        for (StatusReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return NO_ADDITIONAL_INFORMATION;
    }
}
