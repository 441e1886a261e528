package org.aivillage.betanet.htx.internal;

/** A peer broke the HTX protocol; the connection closes with {@code code} and this message. */
final class ProtocolViolation extends RuntimeException {
    final long code;

    ProtocolViolation(long code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
