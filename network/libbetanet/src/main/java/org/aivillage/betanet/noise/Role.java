package org.aivillage.betanet.noise;

/** Which side of a handshake this party is: the initiator sends the first message. */
public enum Role {
    INITIATOR,
    RESPONDER;

    public Role peer() {
        return this == INITIATOR ? RESPONDER : INITIATOR;
    }
}
