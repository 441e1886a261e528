package org.aivillage.betanet.noise;

/**
 * The tokens of a Noise message pattern (Noise spec rev 34 §7) plus the KEM tokens of the Noise
 * HFS extension draft. The engine ({@link HandshakeState}) handles each token in one switch arm;
 * a new kind of token (another KEM, a signature) is one enum constant and one arm.
 */
public enum Token {
    /** Ephemeral DH public key, sent in clear (and MixKey'd in psk handshakes). */
    E("e"),
    /** Static DH public key, encrypted once a key is established. */
    S("s"),
    /** DH(ephemeral, remote ephemeral). */
    EE("ee"),
    /** DH between the initiator's ephemeral and the responder's static key. */
    ES("es"),
    /** DH between the initiator's static and the responder's ephemeral key. */
    SE("se"),
    /** DH(static, remote static). */
    SS("ss"),
    /** MixKeyAndHash of the next pre-shared key. */
    PSK("psk"),
    /** HFS: a fresh KEM key pair; its public key is sent with EncryptAndHash. */
    E1("e1"),
    /** HFS: encapsulation to the peer's e1; the ciphertext is sent with EncryptAndHash and the secret MixKey'd. */
    EKEM1("ekem1");

    private final String spec;

    Token(String spec) {
        this.spec = spec;
    }

    /** The token as the Noise spec writes it ("e", "es", "ekem1", ...). */
    public String specName() {
        return spec;
    }

    /** True for the DH tokens ee, es, se, ss. */
    public boolean isDh() {
        return this == EE || this == ES || this == SE || this == SS;
    }

    @Override
    public String toString() {
        return spec;
    }
}
