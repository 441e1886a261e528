package org.aivillage.fabric;

import java.util.Objects;

/** Every failure of the fabric API: a {@link Code} and a one-line message meant for people. */
public final class FabricException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Code {
        /** A parameter is malformed. */
        INVALID_ARGUMENT,
        /** No service matches the name/version asked for. */
        SERVICE_NOT_FOUND,
        /** No agent has this id (never deployed, or undeployed). */
        AGENT_NOT_FOUND,
        /** Admission control: no placement fits the nodes' limits. */
        PLACEMENT_FAILED,
        /** The request did not complete in time. */
        TIMEOUT,
        /** No replica could take the request (stopped, node lost) and retries are used up. */
        UNAVAILABLE,
        /** Mailbox full and retries are used up. */
        OVERLOADED,
        /** The handler threw. */
        HANDLER_FAILED,
        /** The fabric is not started or already stopped. */
        NOT_RUNNING,
        /** The API request carried no token or a wrong one ({@link FabricApiToken}). */
        UNAUTHORIZED
    }

    private final Code code;

    public FabricException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public FabricException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }

    /** Whether a retry on another replica may succeed without risk of running the handler twice. */
    public boolean retryable(RetryPolicy policy) {
        return switch (code) {
            case UNAVAILABLE, OVERLOADED -> true;
            case TIMEOUT -> policy.retryOnTimeout();
            default -> false;
        };
    }
}
