package org.aivillage.betanet.htx.internal;

/**
 * A parsed frame header. {@code length} is the ciphertext length without the 16-byte tag (equal
 * to the plaintext length); {@code streamId} is -1 for types without one; {@code headerLength}
 * is the number of header bytes on the wire (4..12).
 */
public record FrameHeader(int length, FrameType type, long streamId, int headerLength) {}
