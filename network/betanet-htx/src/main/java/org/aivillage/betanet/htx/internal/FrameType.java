package org.aivillage.betanet.htx.internal;

/** HTX inner frame types (Betanet 1.1 §5.4). Only STREAM and WINDOW_UPDATE carry a stream id. */
public enum FrameType {
    STREAM(0, true),
    PING(1, false),
    CLOSE(2, false),
    KEY_UPDATE(3, false),
    WINDOW_UPDATE(4, true);

    private static final FrameType[] BY_CODE = values();

    private final int code;
    private final boolean hasStreamId;

    FrameType(int code, boolean hasStreamId) {
        this.code = code;
        this.hasStreamId = hasStreamId;
    }

    public int code() {
        return code;
    }

    public boolean hasStreamId() {
        return hasStreamId;
    }

    /** The type for a wire code, or null when the code is not a known type. */
    public static FrameType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
