package org.aivillage.betanet.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.MlKem768;

/**
 * A Noise HandshakeState (spec rev 34 §5.3) for one side of one handshake.
 *
 * <pre>{@code
 * HandshakeState hs = HandshakeState.builder(NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_SHA256"), Role.INITIATOR)
 *         .prologue(prologue).localStatic(myKeys).remoteStatic(serverPublicKey).build();
 * send(hs.writeMessage(payload));          // -> e, es
 * byte[] reply = hs.readMessage(receive()); // <- e, ee
 * send(hs.writeMessage(payload2));         // -> s, se
 * TransportState t = hs.split();
 * }</pre>
 *
 * <p>{@link #action()} says what comes next. {@link #writeMessage(byte[])} and
 * {@link #readMessage(byte[])} throw {@link NoiseException} for every failure caused by the peer or
 * the data (malformed or truncated message, failed authentication with an
 * {@link org.aivillage.betanet.crypto.AuthenticationFailedException} cause, low-order key, message
 * over 65,535 bytes); after such a failure the state is unusable and every later call throws
 * NoiseException again. Calls out of turn are programming errors: {@link IllegalStateException}.
 * Methods are synchronized; a handshake is a sequence, so share one only with care.
 */
public final class HandshakeState implements AutoCloseable {

    /** What the handshake expects next. */
    public enum Action {
        WRITE_MESSAGE,
        READ_MESSAGE,
        /** Every handshake message is done: call {@link #split()}. */
        SPLIT,
        /** {@link #split()} was called; this object holds no secrets any more. */
        DONE,
        /** A message failed; the handshake is over. */
        FAILED
    }

    private final NoiseProtocol protocol;
    private final Role role;
    private final HandshakePattern pattern;
    private final SymmetricState symmetric;
    private final List<byte[]> psks;
    private int pskIndex;
    private final KeyPair s;
    private final KeyPair fixedEphemeral;
    private KeyPair e;
    private KeyPair e1;
    private byte[] rs;
    private byte[] re;
    private byte[] re1;
    private int messageIndex;
    private boolean failed;
    private boolean split;
    private byte[] finalHash;

    private HandshakeState(Builder b) {
        this.protocol = b.protocol;
        this.role = b.role;
        this.pattern = protocol.pattern();
        this.s = b.localStatic == null ? null : copy(b.localStatic);
        this.fixedEphemeral = b.fixedEphemeral == null ? null : copy(b.fixedEphemeral);
        this.rs = b.remoteStatic == null ? null : b.remoteStatic.clone();
        this.re = b.remoteEphemeral == null ? null : b.remoteEphemeral.clone();
        this.psks = new ArrayList<>();
        for (byte[] p : b.psks) {
            psks.add(p.clone());
        }
        this.symmetric = new SymmetricState(protocol);
        symmetric.mixHash(b.prologue);
        preMessage(Role.INITIATOR, pattern.initiatorPreMessage());
        preMessage(Role.RESPONDER, pattern.responderPreMessage());
    }

    private static KeyPair copy(KeyPair kp) {
        byte[] priv = kp.privateKey();
        try {
            return new KeyPair(priv, kp.publicKey());
        } finally {
            ConstantTime.wipe(priv);
        }
    }

    private void preMessage(Role owner, List<Token> tokens) {
        for (Token t : tokens) {
            boolean mine = owner == role;
            byte[] key = switch (t) {
                case S -> mine ? s.publicKey() : rs;
                case E -> mine ? ephemeralForPreMessage().publicKey() : re;
                default -> throw new IllegalStateException("token " + t + " in a pre-message");
            };
            symmetric.mixHash(key);
            if (t == Token.E && pattern.isPsk()) {
                symmetric.mixKey(key);
            }
        }
    }

    private KeyPair ephemeralForPreMessage() {
        if (e == null) {
            e = fixedEphemeral != null ? copy(fixedEphemeral) : protocol.dh().generateKeyPair();
        }
        return e;
    }

    /** A builder for {@code protocol} on the side {@code role}. */
    public static Builder builder(NoiseProtocol protocol, Role role) {
        return new Builder(protocol, role);
    }

    /** A builder for the protocol named {@code protocolName} (see {@link NoiseProtocol#parse}). */
    public static Builder builder(String protocolName, Role role) {
        return new Builder(NoiseProtocol.parse(protocolName), role);
    }

    public NoiseProtocol protocol() {
        return protocol;
    }

    public Role role() {
        return role;
    }

    /** What comes next: write, read, split, done, or failed. */
    public synchronized Action action() {
        if (failed) {
            return Action.FAILED;
        }
        if (split) {
            return Action.DONE;
        }
        if (messageIndex >= pattern.messages().size()) {
            return Action.SPLIT;
        }
        return pattern.messages().get(messageIndex).sender() == role ? Action.WRITE_MESSAGE : Action.READ_MESSAGE;
    }

    /** True when every handshake message has been written or read. */
    public synchronized boolean isComplete() {
        return !failed && messageIndex >= pattern.messages().size();
    }

    /** The handshake hash h: the channel binding value once the handshake is complete (spec §11.2). */
    public synchronized byte[] handshakeHash() {
        return finalHash != null ? finalHash.clone() : symmetric.handshakeHash();
    }

    /** The peer's static public key once known (from a pre-message or the handshake), else null. */
    public synchronized byte[] remoteStaticKey() {
        return rs == null ? null : rs.clone();
    }

    /** The peer's ephemeral public key once received, else null. */
    public synchronized byte[] remoteEphemeralKey() {
        return re == null ? null : re.clone();
    }

    /** The 0-based index of the next handshake message. */
    public synchronized int messageIndex() {
        return messageIndex;
    }

    /**
     * Writes the next handshake message carrying {@code payload} (encrypted once a key exists).
     *
     * @throws NoiseException if the message would exceed 65,535 bytes (nothing changes then), or a
     *     DH or KEM step fails (the handshake is then failed)
     * @throws IllegalStateException if it is not this side's turn to write
     */
    public synchronized byte[] writeMessage(byte[] payload) throws NoiseException {
        Objects.requireNonNull(payload, "payload");
        checkUsable();
        if (action() != Action.WRITE_MESSAGE) {
            throw new IllegalStateException("not this side's turn to write: next action is " + action());
        }
        MessagePattern mp = pattern.messages().get(messageIndex);
        int size = messageSize(mp, payload.length);
        if (size > NoiseProtocol.MAX_MESSAGE_LENGTH) {
            throw new NoiseException("handshake message would be " + size + " bytes, over the Noise limit of "
                    + NoiseProtocol.MAX_MESSAGE_LENGTH + " (payload " + payload.length + " bytes)");
        }
        byte[] out = new byte[size];
        int off = 0;
        try {
            for (Token t : mp.tokens()) {
                switch (t) {
                    case E -> {
                        if (e != null) {
                            e.destroy();
                        }
                        e = fixedEphemeral != null ? copy(fixedEphemeral) : protocol.dh().generateKeyPair();
                        byte[] pub = e.publicKey();
                        System.arraycopy(pub, 0, out, off, pub.length);
                        off += pub.length;
                        symmetric.mixHash(pub);
                        if (pattern.isPsk()) {
                            symmetric.mixKey(pub);
                        }
                    }
                    case S -> off += symmetric.encryptAndHash(s.publicKey(), out, off);
                    case EE, ES, SE, SS -> symmetric.mixKey(dh(t));
                    case PSK -> symmetric.mixKeyAndHash(psks.get(pskIndex++));
                    case E1 -> {
                        e1 = protocol.kem().generateKeyPair();
                        off += symmetric.encryptAndHash(e1.publicKey(), out, off);
                    }
                    case EKEM1 -> {
                        MlKem768.Encapsulation enc = protocol.kem().encapsulate(re1);
                        off += symmetric.encryptAndHash(enc.ciphertext(), out, off);
                        byte[] secret = enc.sharedSecret();
                        symmetric.mixKey(secret);
                        ConstantTime.wipe(secret);
                    }
                }
            }
            off += symmetric.encryptAndHash(payload, out, off);
        } catch (NoiseException ex) {
            fail();
            throw ex;
        } catch (RuntimeException ex) {
            fail();
            throw new NoiseException("handshake write failed: " + ex.getMessage(), ex);
        }
        if (off != size) {
            fail();
            throw new IllegalStateException("handshake message size mismatch: " + off + " != " + size);
        }
        advance();
        return out;
    }

    /**
     * Reads the next handshake message and returns its payload.
     *
     * @throws NoiseException for anything wrong with the message; the handshake is then failed
     * @throws IllegalStateException if it is not this side's turn to read
     */
    public synchronized byte[] readMessage(byte[] message) throws NoiseException {
        Objects.requireNonNull(message, "message");
        checkUsable();
        if (action() != Action.READ_MESSAGE) {
            throw new IllegalStateException("not this side's turn to read: next action is " + action());
        }
        if (message.length > NoiseProtocol.MAX_MESSAGE_LENGTH) {
            fail();
            throw new NoiseException("handshake message of " + message.length + " bytes is over the Noise limit of "
                    + NoiseProtocol.MAX_MESSAGE_LENGTH);
        }
        MessagePattern mp = pattern.messages().get(messageIndex);
        int dhLen = protocol.dh().dhLen();
        int off = 0;
        byte[] payload;
        try {
            for (Token t : mp.tokens()) {
                switch (t) {
                    case E -> {
                        need(message, off, dhLen, t);
                        re = java.util.Arrays.copyOfRange(message, off, off + dhLen);
                        off += dhLen;
                        symmetric.mixHash(re);
                        if (pattern.isPsk()) {
                            symmetric.mixKey(re);
                        }
                    }
                    case S -> {
                        int len = dhLen + tagIfKeyed();
                        need(message, off, len, t);
                        rs = symmetric.decryptAndHash(message, off, len);
                        off += len;
                    }
                    case EE, ES, SE, SS -> symmetric.mixKey(dh(t));
                    case PSK -> symmetric.mixKeyAndHash(psks.get(pskIndex++));
                    case E1 -> {
                        int len = protocol.kem().publicKeyLength() + tagIfKeyed();
                        need(message, off, len, t);
                        re1 = symmetric.decryptAndHash(message, off, len);
                        off += len;
                    }
                    case EKEM1 -> {
                        int len = protocol.kem().ciphertextLength() + tagIfKeyed();
                        need(message, off, len, t);
                        byte[] ct = symmetric.decryptAndHash(message, off, len);
                        off += len;
                        byte[] secret = protocol.kem().decapsulate(e1.privateKey(), ct);
                        symmetric.mixKey(secret);
                        ConstantTime.wipe(secret);
                    }
                }
            }
            int rest = message.length - off;
            if (rest < tagIfKeyed()) {
                throw new NoiseException("handshake message " + messageIndex + " truncated: payload at offset " + off
                        + " needs at least " + tagIfKeyed() + " bytes, " + rest + " left");
            }
            payload = symmetric.decryptAndHash(message, off, rest);
        } catch (NoiseException ex) {
            fail();
            throw ex;
        } catch (RuntimeException ex) {
            fail();
            throw new NoiseException("malformed handshake message " + messageIndex + ": " + ex.getMessage(), ex);
        }
        advance();
        return payload;
    }

    /**
     * Split() (spec §5.2) once the handshake is complete: the transport state with one CipherState
     * per direction. Wipes the handshake's secrets; {@link #handshakeHash()} stays available.
     *
     * @throws IllegalStateException if the handshake is not complete
     */
    public synchronized TransportState split() {
        if (action() != Action.SPLIT) {
            throw new IllegalStateException("split() needs a complete handshake: next action is " + action());
        }
        CipherState[] cs = symmetric.split();
        finalHash = symmetric.handshakeHash();
        split = true;
        TransportState t;
        if (pattern.isOneWay()) {
            t = role == Role.INITIATOR
                    ? new TransportState(protocol, role, cs[0], null, finalHash, rs)
                    : new TransportState(protocol, role, null, cs[0], finalHash, rs);
            cs[1].close();
        } else {
            t = role == Role.INITIATOR
                    ? new TransportState(protocol, role, cs[0], cs[1], finalHash, rs)
                    : new TransportState(protocol, role, cs[1], cs[0], finalHash, rs);
        }
        wipe();
        return t;
    }

    /** Wipes every secret this handshake holds; it is unusable afterwards unless already split. */
    @Override
    public synchronized void close() {
        if (!split) {
            failed = true;
        }
        wipe();
    }

    private void wipe() {
        symmetric.destroy();
        if (s != null) {
            s.destroy();
        }
        if (fixedEphemeral != null) {
            fixedEphemeral.destroy();
        }
        if (e != null) {
            e.destroy();
        }
        if (e1 != null) {
            e1.destroy();
        }
        for (byte[] p : psks) {
            ConstantTime.wipe(p);
        }
    }

    private void advance() {
        messageIndex++;
    }

    private void fail() {
        failed = true;
        wipe();
    }

    private void checkUsable() throws NoiseException {
        if (failed) {
            throw new NoiseException("the handshake failed earlier or was closed; start a new one");
        }
    }

    private int tagIfKeyed() {
        return symmetric.hasKey() ? NoiseProtocol.TAG_LENGTH : 0;
    }

    private void need(byte[] message, int off, int len, Token t) throws NoiseException {
        if (message.length - off < len) {
            throw new NoiseException("handshake message " + messageIndex + " truncated: token '" + t.specName()
                    + "' at offset " + off + " needs " + len + " bytes, " + (message.length - off) + " left");
        }
    }

    /** The DH of a DH token from this side's point of view. */
    private byte[] dh(Token t) throws NoiseException {
        boolean initiator = role == Role.INITIATOR;
        KeyPair local;
        byte[] remote;
        switch (t) {
            case EE -> {
                local = e;
                remote = re;
            }
            case ES -> {
                local = initiator ? e : s;
                remote = initiator ? rs : re;
            }
            case SE -> {
                local = initiator ? s : e;
                remote = initiator ? re : rs;
            }
            case SS -> {
                local = s;
                remote = rs;
            }
            default -> throw new IllegalStateException("not a DH token: " + t);
        }
        if (local == null || remote == null) {
            throw new IllegalStateException("token " + t + " before its keys are known");
        }
        byte[] priv = local.privateKey();
        try {
            return protocol.dh().dh(priv, remote);
        } finally {
            ConstantTime.wipe(priv);
        }
    }

    /** The exact size of the message {@code mp} with a payload of {@code payloadLength} bytes. */
    private int messageSize(MessagePattern mp, int payloadLength) {
        boolean keyed = symmetric.hasKey();
        int size = 0;
        for (Token t : mp.tokens()) {
            switch (t) {
                case E -> {
                    size += protocol.dh().dhLen();
                    keyed |= pattern.isPsk();
                }
                case S -> size += protocol.dh().dhLen() + (keyed ? NoiseProtocol.TAG_LENGTH : 0);
                case EE, ES, SE, SS, PSK -> keyed = true;
                case E1 -> size += protocol.kem().publicKeyLength() + (keyed ? NoiseProtocol.TAG_LENGTH : 0);
                case EKEM1 -> {
                    size += protocol.kem().ciphertextLength() + (keyed ? NoiseProtocol.TAG_LENGTH : 0);
                    keyed = true;
                }
            }
        }
        return size + payloadLength + (keyed ? NoiseProtocol.TAG_LENGTH : 0);
    }

    @Override
    public synchronized String toString() {
        return "HandshakeState[" + protocol.name() + ", " + role + ", message " + messageIndex + ", " + action() + "]";
    }

    /** Configures one side of a handshake; {@link #build()} checks that the pattern's needs are met. */
    public static final class Builder {
        private final NoiseProtocol protocol;
        private final Role role;
        private byte[] prologue = new byte[0];
        private KeyPair localStatic;
        private byte[] remoteStatic;
        private byte[] remoteEphemeral;
        private List<byte[]> psks = List.of();
        private KeyPair fixedEphemeral;

        private Builder(NoiseProtocol protocol, Role role) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            this.role = Objects.requireNonNull(role, "role");
        }

        /** Data both sides must agree on, hashed into h before the first message. */
        public Builder prologue(byte[] prologue) {
            this.prologue = prologue.clone();
            return this;
        }

        /** This side's static key pair (copied; the caller keeps ownership of its own copy). */
        public Builder localStatic(KeyPair keyPair) {
            this.localStatic = keyPair;
            return this;
        }

        /** The peer's static public key, for patterns where it is known in advance (NK, XK, IK, KK, ...). */
        public Builder remoteStatic(byte[] publicKey) {
            this.remoteStatic = publicKey.clone();
            return this;
        }

        /** The peer's ephemeral public key, for patterns with an ephemeral pre-message. */
        public Builder remoteEphemeral(byte[] publicKey) {
            this.remoteEphemeral = publicKey.clone();
            return this;
        }

        /** The 32-byte pre-shared keys, in the order the pattern's psk tokens consume them. */
        public Builder psks(List<byte[]> psks) {
            this.psks = List.copyOf(psks);
            return this;
        }

        /**
         * A fixed ephemeral key pair instead of a fresh random one. Only for known-answer tests: a
         * reused ephemeral destroys the handshake's security.
         */
        public Builder fixedEphemeral(KeyPair keyPair) {
            this.fixedEphemeral = keyPair;
            return this;
        }

        /**
         * @throws IllegalStateException if the pattern needs a key that is missing, a key has the
         *     wrong length, the number of psks is wrong, or a remote static key is preset that the
         *     pattern transmits
         */
        public HandshakeState build() {
            HandshakePattern p = protocol.pattern();
            int dhLen = protocol.dh().dhLen();
            String who = role.name().toLowerCase(java.util.Locale.ROOT);
            if (p.needsLocalStatic(role) && localStatic == null) {
                throw new IllegalStateException(p.name() + " needs the " + who + "'s static key pair (localStatic)");
            }
            if (localStatic != null && (localStatic.publicKey().length != dhLen || localStatic.privateKey().length != dhLen)) {
                throw new IllegalStateException("static key pair must be " + dhLen + "-byte keys");
            }
            if (p.needsRemoteStatic(role) && remoteStatic == null) {
                throw new IllegalStateException(p.name() + " needs the peer's static public key (remoteStatic)");
            }
            if (!p.needsRemoteStatic(role) && remoteStatic != null) {
                throw new IllegalStateException(p.name() + " sends the peer's static key in the handshake; "
                        + "compare remoteStaticKey() afterwards instead of presetting it");
            }
            if (remoteStatic != null && remoteStatic.length != dhLen) {
                throw new IllegalStateException("remote static key must be " + dhLen + " bytes, was " + remoteStatic.length);
            }
            if (p.needsRemoteEphemeral(role) && remoteEphemeral == null) {
                throw new IllegalStateException(p.name() + " needs the peer's ephemeral public key (remoteEphemeral)");
            }
            if (psks.size() != p.pskCount()) {
                throw new IllegalStateException(p.name() + " takes " + p.pskCount() + " psks, " + psks.size() + " given");
            }
            for (byte[] psk : psks) {
                if (psk == null || psk.length != 32) {
                    throw new IllegalStateException("every psk must be 32 bytes");
                }
            }
            if (fixedEphemeral != null && fixedEphemeral.privateKey().length != dhLen) {
                throw new IllegalStateException("fixed ephemeral key must be " + dhLen + " bytes");
            }
            return new HandshakeState(this);
        }
    }
}
