package org.aivillage.betanet.htx.internal;

/** Codes carried in CLOSE frames (docs/protocols/htx.md §Frames). */
public final class CloseCodes {
    public static final long NO_ERROR = 0;
    public static final long PROTOCOL_ERROR = 1;
    public static final long FLOW_CONTROL_ERROR = 2;
    public static final long STREAM_LIMIT_ERROR = 3;
    public static final long FRAME_SIZE_ERROR = 4;
    public static final long INTERNAL_ERROR = 5;
    public static final long AUTHENTICATION_FAILED = 6;
    public static final long CONTROL_OVERFLOW = 7;
    public static final long SERVER_BUSY = 8;

    private CloseCodes() {}

    /** Metric tag for a code. */
    public static String tag(long code) {
        return switch ((int) Math.min(code, Integer.MAX_VALUE)) {
            case 0 -> "no_error";
            case 1 -> "protocol_error";
            case 2 -> "flow_control_error";
            case 3 -> "stream_limit_error";
            case 4 -> "frame_size_error";
            case 5 -> "internal_error";
            case 6 -> "authentication_failed";
            case 7 -> "control_overflow";
            case 8 -> "server_busy";
            default -> "other";
        };
    }
}
