package org.aivillage.bitchat.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.noise.CipherState;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;
import org.aivillage.bitchat.MeshPeerId;

/**
 * Noise sessions with other peers, as BitChat does them: {@value #PROTOCOL}, no prologue, empty
 * handshake payloads, handshake messages told apart by length (32, 96, 64 bytes), and transport
 * messages that carry their nonce explicitly ({@code nonce u32 BE || ciphertext || tag}, the
 * {@code useExtractedNonce} mode of {@code NoiseCipherState.swift}) with a 1024-nonce replay window,
 * because a mesh reorders and loses packets.
 *
 * <p>Rules: when both peers initiate at once, the one with the smaller peer ID stays initiator; an
 * established session keeps working while a new handshake runs and is replaced only when that one
 * completes; the remote static key must hash to the peer's ID (and equal its announced key when one
 * is known). Bounded: at most {@code maxSessions} peers, least recently used dropped.
 * Not thread-safe: the router serialises access.
 */
public final class NoiseSessions {
    public static final String PROTOCOL = "Noise_XX_25519_ChaChaPoly_SHA256";
    public static final int MSG1 = 32;
    public static final int MSG2 = 96;
    public static final int MSG3 = 64;
    private static final long MAX_NONCE = 0xffff_ffffL - 1;
    private static final byte[] EMPTY = new byte[0];

    /** Outcome of a handshake message. */
    public record HandshakeOutcome(byte[] reply, boolean established, String failure) {
        static final HandshakeOutcome IGNORED = new HandshakeOutcome(null, false, null);
    }

    /** Why decryption failed, or OK. */
    public enum DecryptStatus { OK, NO_SESSION, MALFORMED, REPLAY, AUTH_FAILED }

    public record Decrypted(DecryptStatus status, byte[] plaintext) {
    }

    private static final class Channel {
        final TransportState transport;
        final ReplayWindow window = new ReplayWindow();
        long sendNonce;

        Channel(TransportState transport) {
            this.transport = transport;
        }
    }

    private static final class Session {
        HandshakeState handshake;
        Role role;
        long handshakeStartedAt;
        Channel current;
        Channel previous;
        long lastRecoveryAt = Long.MIN_VALUE / 2;
    }

    private final KeyPair localStatic;
    private final MeshPeerId me;
    private final int maxSessions;
    private final LinkedHashMap<MeshPeerId, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public NoiseSessions(KeyPair localStatic, MeshPeerId me, int maxSessions) {
        this.localStatic = localStatic;
        this.me = me;
        this.maxSessions = maxSessions;
    }

    public boolean isEstablished(MeshPeerId peer) {
        Session s = sessions.get(peer);
        return s != null && s.current != null;
    }

    /** Whether a handshake with {@code peer} started less than {@code timeoutMillis} ago. */
    public boolean handshakeInFlight(MeshPeerId peer, long now, long timeoutMillis) {
        Session s = sessions.get(peer);
        return s != null && s.handshake != null && now - s.handshakeStartedAt < timeoutMillis;
    }

    /** Starts a handshake as initiator; returns message 1. */
    public byte[] initiate(MeshPeerId peer, long now) {
        Session s = session(peer);
        closeHandshake(s);
        try {
            HandshakeState hs = HandshakeState.builder(PROTOCOL, Role.INITIATOR).localStatic(localStatic).build();
            byte[] msg1 = hs.writeMessage(EMPTY);
            s.handshake = hs;
            s.role = Role.INITIATOR;
            s.handshakeStartedAt = now;
            return msg1;
        } catch (NoiseException e) {
            throw new IllegalStateException("writing Noise message 1 failed", e);
        }
    }

    /** Rate limit for recovery handshakes after undecryptable messages. */
    public boolean mayRecover(MeshPeerId peer, long now, long intervalMillis) {
        Session s = session(peer);
        if (now - s.lastRecoveryAt < intervalMillis) {
            return false;
        }
        s.lastRecoveryAt = now;
        return true;
    }

    /**
     * Processes a handshake message from {@code peer}.
     *
     * @param announcedKey the peer's announced Noise static key, or null when not known
     */
    public HandshakeOutcome onHandshake(MeshPeerId peer, byte[] message, byte[] announcedKey, long now,
            long timeoutMillis) {
        Session s = session(peer);
        try {
            switch (message.length) {
                case MSG1 -> {
                    boolean initiating = s.handshake != null && s.role == Role.INITIATOR
                            && now - s.handshakeStartedAt < timeoutMillis;
                    if (initiating && me.compareTo(peer) < 0) {
                        return HandshakeOutcome.IGNORED; // simultaneous open: the smaller ID stays initiator
                    }
                    closeHandshake(s);
                    HandshakeState hs = HandshakeState.builder(PROTOCOL, Role.RESPONDER).localStatic(localStatic).build();
                    hs.readMessage(message);
                    byte[] msg2 = hs.writeMessage(EMPTY);
                    s.handshake = hs;
                    s.role = Role.RESPONDER;
                    s.handshakeStartedAt = now;
                    return new HandshakeOutcome(msg2, false, null);
                }
                case MSG2 -> {
                    if (s.handshake == null || s.role != Role.INITIATOR || s.handshake.messageIndex() != 1) {
                        return HandshakeOutcome.IGNORED;
                    }
                    s.handshake.readMessage(message);
                    byte[] msg3 = s.handshake.writeMessage(EMPTY);
                    String failure = complete(s, peer, announcedKey);
                    return new HandshakeOutcome(failure == null ? msg3 : null, failure == null, failure);
                }
                case MSG3 -> {
                    if (s.handshake == null || s.role != Role.RESPONDER || s.handshake.messageIndex() != 2) {
                        return HandshakeOutcome.IGNORED;
                    }
                    s.handshake.readMessage(message);
                    String failure = complete(s, peer, announcedKey);
                    return new HandshakeOutcome(null, failure == null, failure);
                }
                default -> {
                    return new HandshakeOutcome(null, false, "handshake message of unexpected length " + message.length);
                }
            }
        } catch (NoiseException | RuntimeException e) {
            closeHandshake(s);
            return new HandshakeOutcome(null, false, "handshake failed: " + e.getMessage());
        }
    }

    private String complete(Session s, MeshPeerId peer, byte[] announcedKey) {
        HandshakeState hs = s.handshake;
        byte[] remote = hs.remoteStaticKey();
        if (!MeshPeerId.fromNoiseKey(remote).equals(peer)) {
            closeHandshake(s);
            return "remote static key does not hash to peer id " + peer;
        }
        if (announcedKey != null && !ConstantTime.equals(remote, announcedKey)) {
            closeHandshake(s);
            return "remote static key differs from the announced one";
        }
        TransportState t = hs.split();
        hs.close();
        s.handshake = null;
        if (s.previous != null) {
            s.previous.transport.close();
        }
        s.previous = s.current;
        s.current = new Channel(t);
        return null;
    }

    /** Encrypts for {@code peer}: {@code nonce u32 || ciphertext || tag}; null when there is no usable session. */
    public byte[] encrypt(MeshPeerId peer, byte[] plaintext) {
        Session s = sessions.get(peer);
        if (s == null || s.current == null) {
            return null;
        }
        Channel c = s.current;
        if (c.sendNonce > MAX_NONCE) {
            s.current = null; // exhausted: a new handshake is needed
            return null;
        }
        long nonce = c.sendNonce++;
        try {
            CipherState cs = c.transport.sender();
            cs.setNonce(nonce);
            byte[] ct = cs.encryptWithAd(EMPTY, plaintext);
            byte[] out = new byte[4 + ct.length];
            out[0] = (byte) (nonce >>> 24);
            out[1] = (byte) (nonce >>> 16);
            out[2] = (byte) (nonce >>> 8);
            out[3] = (byte) nonce;
            System.arraycopy(ct, 0, out, 4, ct.length);
            return out;
        } catch (NoiseException e) {
            throw new IllegalStateException("Noise encryption failed", e);
        }
    }

    /** Decrypts a transport message from {@code peer} (current session first, then the one it replaced). */
    public Decrypted decrypt(MeshPeerId peer, byte[] payload) {
        Session s = sessions.get(peer);
        if (s == null || (s.current == null && s.previous == null)) {
            return new Decrypted(DecryptStatus.NO_SESSION, null);
        }
        if (payload.length < 4 + 16) {
            return new Decrypted(DecryptStatus.MALFORMED, null);
        }
        long nonce = ((long) (payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                | (payload[3] & 0xff);
        byte[] ct = java.util.Arrays.copyOfRange(payload, 4, payload.length);
        boolean replay = false;
        for (Channel c : new Channel[] {s.current, s.previous}) {
            if (c == null) {
                continue;
            }
            if (!c.window.check(nonce)) {
                replay = true;
                continue;
            }
            try {
                CipherState cs = c.transport.receiver();
                cs.setNonce(nonce);
                byte[] pt = cs.decryptWithAd(EMPTY, ct);
                c.window.mark(nonce);
                return new Decrypted(DecryptStatus.OK, pt);
            } catch (NoiseException e) {
                // try the other channel
            }
        }
        return new Decrypted(replay ? DecryptStatus.REPLAY : DecryptStatus.AUTH_FAILED, null);
    }

    /** Forgets everything about {@code peer}. */
    public void remove(MeshPeerId peer) {
        Session s = sessions.remove(peer);
        if (s != null) {
            wipe(s);
        }
    }

    public void closeAll() {
        for (Session s : sessions.values()) {
            wipe(s);
        }
        sessions.clear();
    }

    private Session session(MeshPeerId peer) {
        Session s = sessions.get(peer);
        if (s == null) {
            s = new Session();
            sessions.put(peer, s);
            Iterator<Map.Entry<MeshPeerId, Session>> it = sessions.entrySet().iterator();
            while (sessions.size() > maxSessions && it.hasNext()) {
                Map.Entry<MeshPeerId, Session> e = it.next();
                if (e.getValue() != s) {
                    wipe(e.getValue());
                    it.remove();
                }
            }
        }
        return s;
    }

    private static void closeHandshake(Session s) {
        if (s.handshake != null) {
            s.handshake.close();
            s.handshake = null;
        }
    }

    private static void wipe(Session s) {
        closeHandshake(s);
        if (s.current != null) {
            s.current.transport.close();
        }
        if (s.previous != null) {
            s.previous.transport.close();
        }
    }
}
