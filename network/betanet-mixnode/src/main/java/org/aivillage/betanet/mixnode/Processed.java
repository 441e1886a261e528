package org.aivillage.betanet.mixnode;

/** What one node learns from unwrapping one Sphinx layer. Every outcome carries the per-hop replay tag. */
public sealed interface Processed {
    /** 16 bytes, unique per (packet, hop): a node must refuse a second packet with the same tag in one key epoch. */
    byte[] replayTag();

    /** Forward {@code packet} to {@code next} after {@code delayMillis}. */
    record Relay(RouteId next, int delayMillis, byte[] packet, byte[] replayTag) implements Processed {}

    /** This node is the exit: {@code message} (integrity-checked, {@link Sphinx#MESSAGE_LENGTH} bytes) for {@code address}. */
    record Deliver(RouteId address, byte[] message, byte[] replayTag) implements Processed {}

    /**
     * This node is the provider at the end of a SURB route: hand {@code payload} (still encrypted to the
     * SURB's creator) to the client that registered {@code surbId}'s mailbox.
     */
    record SurbReply(RouteId surbId, byte[] payload, byte[] replayTag) implements Processed {}

    /** Cover traffic ending here (a drop, or a loop this node sent itself); {@code address} names the loop. */
    record Drop(RouteId address, byte[] replayTag) implements Processed {}
}
