package org.aivillage.betanet.htx.internal;

import java.nio.charset.StandardCharsets;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.noise.CipherState;
import org.aivillage.betanet.noise.HandshakeState;
import org.aivillage.betanet.noise.NoiseException;
import org.aivillage.betanet.noise.NoiseProtocol;
import org.aivillage.betanet.noise.Role;
import org.aivillage.betanet.noise.TransportState;

/**
 * {@link NoiseSession} on libbetanet's Noise engine: {@code Noise_XK_25519_ChaChaPoly_SHA256}, or
 * {@code Noise_XKhfs_25519+MLKEM768_ChaChaPoly_SHA256} for the hybrid.
 *
 * <p>Key export: the engine keeps the Split() keys inside its CipherStates. HTX needs secret
 * material from them for its own key schedule, so each direction's CipherState is used once, as
 * a PRF: {@code EncryptWithAd(ad = "betanet-htx export", 32 zero bytes)} at nonce 0 (the
 * ChaCha20 keystream under the split key, plus tag). Both sides compute the same 48 bytes;
 * the CipherStates are never used again.
 */
public final class NoiseXk {
    public static final NoiseProtocol CLASSIC = NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_SHA256");
    public static final NoiseProtocol HYBRID = NoiseProtocol.parse("Noise_XKhfs_25519+MLKEM768_ChaChaPoly_SHA256");
    static final byte[] EXPORT_AD = "betanet-htx export".getBytes(StandardCharsets.US_ASCII);

    private NoiseXk() {}

    private static final NoiseSession.Factory FACTORY = new NoiseSession.Factory() {
        @Override
        public NoiseSession initiator(boolean hybrid, byte[] prologue, KeyPair localStatic, byte[] remoteStatic) {
            return new Session(HandshakeState.builder(hybrid ? HYBRID : CLASSIC, Role.INITIATOR)
                    .prologue(prologue).localStatic(localStatic).remoteStatic(remoteStatic).build());
        }

        @Override
        public NoiseSession responder(boolean hybrid, byte[] prologue, KeyPair localStatic) {
            return new Session(HandshakeState.builder(hybrid ? HYBRID : CLASSIC, Role.RESPONDER)
                    .prologue(prologue).localStatic(localStatic).build());
        }
    };

    public static NoiseSession.Factory factory() {
        return FACTORY;
    }

    private static final class Session implements NoiseSession {
        private final HandshakeState hs;

        Session(HandshakeState hs) {
            this.hs = hs;
        }

        @Override
        public byte[] writeMessage(byte[] payload) throws Failure {
            try {
                return hs.writeMessage(payload);
            } catch (NoiseException | IllegalStateException e) {
                throw new Failure(e.getMessage(), e);
            }
        }

        @Override
        public byte[] readMessage(byte[] message) throws Failure {
            try {
                return hs.readMessage(message);
            } catch (NoiseException | IllegalStateException e) {
                throw new Failure(e.getMessage(), e);
            }
        }

        @Override
        public Exported export() throws Failure {
            try (TransportState t = hs.split()) {
                CipherState i2r = hs.role() == Role.INITIATOR ? t.sender() : t.receiver();
                CipherState r2i = hs.role() == Role.INITIATOR ? t.receiver() : t.sender();
                return new Exported(t.handshakeHash(), i2r.encryptWithAd(EXPORT_AD, new byte[32]), r2i.encryptWithAd(EXPORT_AD, new byte[32]));
            } catch (NoiseException | IllegalStateException e) {
                throw new Failure(e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            hs.close();
        }
    }
}
