package org.aivillage.betanet.noise;

import java.util.ArrayList;
import java.util.List;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;
import org.aivillage.betanet.crypto.X25519;

/** Builds matching initiator/responder pairs with fresh keys for any protocol. */
final class NoiseTestSupport {
    private NoiseTestSupport() {}

    record Pair(HandshakeState initiator, HandshakeState responder, List<byte[]> psks) {}

    static Pair pair(String protocolName) {
        return pair(NoiseProtocol.parse(protocolName), new byte[] {1, 2, 3});
    }

    static Pair pair(NoiseProtocol protocol, byte[] prologue) {
        HandshakePattern p = protocol.pattern();
        KeyPair si = X25519.generateKeyPair();
        KeyPair sr = X25519.generateKeyPair();
        List<byte[]> psks = new ArrayList<>();
        for (int i = 0; i < p.pskCount(); i++) {
            psks.add(Randomness.bytes(32));
        }
        HandshakeState.Builder ib = HandshakeState.builder(protocol, Role.INITIATOR).prologue(prologue).psks(psks);
        HandshakeState.Builder rb = HandshakeState.builder(protocol, Role.RESPONDER).prologue(prologue).psks(psks);
        if (p.needsLocalStatic(Role.INITIATOR)) {
            ib.localStatic(si);
        }
        if (p.needsLocalStatic(Role.RESPONDER)) {
            rb.localStatic(sr);
        }
        if (p.needsRemoteStatic(Role.INITIATOR)) {
            ib.remoteStatic(sr.publicKey());
        }
        if (p.needsRemoteStatic(Role.RESPONDER)) {
            rb.remoteStatic(si.publicKey());
        }
        return new Pair(ib.build(), rb.build(), psks);
    }

    /** Runs the whole handshake with the given payloads; returns {initiator, responder} transports. */
    static TransportState[] complete(Pair pair) throws NoiseException {
        HandshakeState i = pair.initiator();
        HandshakeState r = pair.responder();
        int n = 0;
        while (i.action() != HandshakeState.Action.SPLIT) {
            HandshakeState w = i.action() == HandshakeState.Action.WRITE_MESSAGE ? i : r;
            HandshakeState rd = w == i ? r : i;
            byte[] payload = ("message " + n++).getBytes();
            byte[] got = rd.readMessage(w.writeMessage(payload));
            if (!java.util.Arrays.equals(got, payload)) {
                throw new AssertionError("payload did not round-trip");
            }
        }
        return new TransportState[] {i.split(), r.split()};
    }
}
