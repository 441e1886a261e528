package org.aivillage.betanet.noise;

/**
 * The result of a completed handshake (Noise spec §5.2 Split()): one CipherState per direction,
 * the handshake hash for channel binding, and the peer's static key if the pattern had one.
 *
 * <p>In one-way patterns (N, K, X) only the initiator sends: the initiator has no receiver and the
 * responder no sender. {@link #writeMessage(byte[])} and {@link #readMessage(byte[])} enforce the
 * 65,535-byte Noise message limit; {@link #readMessage(byte[])} throws only {@link NoiseException}
 * for bad input (authentication failure: cause {@link org.aivillage.betanet.crypto.AuthenticationFailedException};
 * the receive nonce is then unchanged).
 */
public final class TransportState implements AutoCloseable {
    /** The largest payload of one transport message: 65,535 - 16. */
    public static final int MAX_PAYLOAD_LENGTH = NoiseProtocol.MAX_MESSAGE_LENGTH - NoiseProtocol.TAG_LENGTH;

    private static final byte[] EMPTY = new byte[0];

    private final NoiseProtocol protocol;
    private final Role role;
    private final CipherState sender;
    private final CipherState receiver;
    private final byte[] handshakeHash;
    private final byte[] remoteStatic;

    TransportState(NoiseProtocol protocol, Role role, CipherState sender, CipherState receiver,
            byte[] handshakeHash, byte[] remoteStatic) {
        this.protocol = protocol;
        this.role = role;
        this.sender = sender;
        this.receiver = receiver;
        this.handshakeHash = handshakeHash.clone();
        this.remoteStatic = remoteStatic == null ? null : remoteStatic.clone();
    }

    public NoiseProtocol protocol() {
        return protocol;
    }

    public Role role() {
        return role;
    }

    /** The CipherState for messages this side sends. @throws IllegalStateException in a one-way responder */
    public CipherState sender() {
        if (sender == null) {
            throw new IllegalStateException("one-way pattern: the responder cannot send");
        }
        return sender;
    }

    /** The CipherState for messages this side receives. @throws IllegalStateException in a one-way initiator */
    public CipherState receiver() {
        if (receiver == null) {
            throw new IllegalStateException("one-way pattern: the initiator cannot receive");
        }
        return receiver;
    }

    /** The handshake hash h (spec §11.2), equal on both sides: use it for channel binding. */
    public byte[] handshakeHash() {
        return handshakeHash.clone();
    }

    /** The peer's static public key, or null if the pattern has none for the peer. */
    public byte[] remoteStaticKey() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    /** Encrypts one transport message (no associated data). */
    public byte[] writeMessage(byte[] payload) throws NoiseException {
        if (payload.length > MAX_PAYLOAD_LENGTH) {
            throw new NoiseException("transport payload of " + payload.length + " bytes is over the limit of "
                    + MAX_PAYLOAD_LENGTH);
        }
        return sender().encryptWithAd(EMPTY, payload);
    }

    /** Decrypts one transport message (no associated data). */
    public byte[] readMessage(byte[] message) throws NoiseException {
        if (message.length > NoiseProtocol.MAX_MESSAGE_LENGTH) {
            throw new NoiseException("transport message of " + message.length + " bytes is over the Noise limit of "
                    + NoiseProtocol.MAX_MESSAGE_LENGTH);
        }
        return receiver().decryptWithAd(EMPTY, message);
    }

    /** Rekeys the sending direction (spec §11.3); the peer must rekey its receiver at the same point. */
    public void rekeySender() {
        sender().rekey();
    }

    /** Rekeys the receiving direction. */
    public void rekeyReceiver() {
        receiver().rekey();
    }

    /** Wipes both keys. */
    @Override
    public void close() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Override
    public String toString() {
        return "TransportState[" + protocol.name() + ", " + role + "]";
    }
}
