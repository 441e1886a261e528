package org.aivillage.betanet.utls.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.CryptoException;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.MlKem768;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.utls.UtlsHandshakeException;

/**
 * A client key share for one TLS 1.3 group: X25519 and X25519MLKEM768 through the crypto facade,
 * the NIST curves through JCA ECDH (the facade has no ECDH on them).
 */
public sealed interface KeyShareSecret extends AutoCloseable {
    int ILLEGAL_PARAMETER = 47;

    int group();

    byte[] publicShare();

    /** The shared secret with the server's key_exchange bytes. */
    byte[] agree(byte[] serverShare) throws UtlsHandshakeException;

    @Override
    void close();

    static boolean supported(int group) {
        return switch (group) {
            case TlsCodes.GROUP_X25519, TlsCodes.GROUP_X25519MLKEM768, TlsCodes.GROUP_SECP256R1,
                    TlsCodes.GROUP_SECP384R1, TlsCodes.GROUP_SECP521R1 -> true;
            default -> false;
        };
    }

    static KeyShareSecret generate(int group) {
        return switch (group) {
            case TlsCodes.GROUP_X25519 -> new X25519Share(X25519.generateKeyPair());
            case TlsCodes.GROUP_X25519MLKEM768 -> new HybridShare(MlKem768.generateKeyPair(), X25519.generateKeyPair());
            case TlsCodes.GROUP_SECP256R1 -> EcShare.create(group, "secp256r1", 32);
            case TlsCodes.GROUP_SECP384R1 -> EcShare.create(group, "secp384r1", 48);
            case TlsCodes.GROUP_SECP521R1 -> EcShare.create(group, "secp521r1", 66);
            default -> throw new IllegalArgumentException(String.format("no key share support for group 0x%04x", group));
        };
    }

    final class X25519Share implements KeyShareSecret {
        private final KeyPair kp;

        X25519Share(KeyPair kp) {
            this.kp = kp;
        }

        public int group() {
            return TlsCodes.GROUP_X25519;
        }

        public byte[] publicShare() {
            return kp.publicKey();
        }

        public byte[] agree(byte[] serverShare) throws UtlsHandshakeException {
            if (serverShare.length != 32) {
                throw new UtlsHandshakeException("server X25519 share must be 32 bytes", ILLEGAL_PARAMETER);
            }
            byte[] priv = kp.privateKey();
            try {
                return X25519.sharedSecret(priv, serverShare);
            } catch (CryptoException e) {
                throw new UtlsHandshakeException("server X25519 share is a low-order point", ILLEGAL_PARAMETER);
            } finally {
                ConstantTime.wipe(priv);
            }
        }

        public void close() {
            kp.destroy();
        }
    }

    /** X25519MLKEM768: client share = ML-KEM-768 ek || X25519 pub; server = ct || X25519 pub; secret = K || dh. */
    final class HybridShare implements KeyShareSecret {
        private final KeyPair mlkem;
        private final KeyPair x25519;

        HybridShare(KeyPair mlkem, KeyPair x25519) {
            this.mlkem = mlkem;
            this.x25519 = x25519;
        }

        public int group() {
            return TlsCodes.GROUP_X25519MLKEM768;
        }

        public byte[] publicShare() {
            byte[] ek = mlkem.publicKey();
            byte[] x = x25519.publicKey();
            byte[] out = Arrays.copyOf(ek, ek.length + x.length);
            System.arraycopy(x, 0, out, ek.length, x.length);
            return out;
        }

        public byte[] agree(byte[] serverShare) throws UtlsHandshakeException {
            if (serverShare.length != MlKem768.CIPHERTEXT_LENGTH + 32) {
                throw new UtlsHandshakeException("server X25519MLKEM768 share must be 1120 bytes", ILLEGAL_PARAMETER);
            }
            byte[] ct = Arrays.copyOf(serverShare, MlKem768.CIPHERTEXT_LENGTH);
            byte[] xs = Arrays.copyOfRange(serverShare, MlKem768.CIPHERTEXT_LENGTH, serverShare.length);
            byte[] seed = mlkem.privateKey();
            byte[] xpriv = x25519.privateKey();
            byte[] k = null;
            byte[] dh = null;
            try {
                k = MlKem768.decapsulate(seed, ct);
                dh = X25519.sharedSecret(xpriv, xs);
                byte[] out = Arrays.copyOf(k, k.length + dh.length);
                System.arraycopy(dh, 0, out, k.length, dh.length);
                return out;
            } catch (CryptoException e) {
                throw new UtlsHandshakeException("server X25519MLKEM768 share is invalid", ILLEGAL_PARAMETER);
            } finally {
                ConstantTime.wipe(seed);
                ConstantTime.wipe(xpriv);
                if (k != null) {
                    ConstantTime.wipe(k);
                }
                if (dh != null) {
                    ConstantTime.wipe(dh);
                }
            }
        }

        public void close() {
            mlkem.destroy();
            x25519.destroy();
        }
    }

    final class EcShare implements KeyShareSecret {
        private final int group;
        private final int fieldLength;
        private final PrivateKey priv;
        private final ECParameterSpec params;
        private final byte[] pub;

        private EcShare(int group, int fieldLength, PrivateKey priv, ECPublicKey pubKey) {
            this.group = group;
            this.fieldLength = fieldLength;
            this.priv = priv;
            this.params = pubKey.getParams();
            byte[] out = new byte[1 + 2 * fieldLength];
            out[0] = 4;
            put(pubKey.getW().getAffineX(), out, 1, fieldLength);
            put(pubKey.getW().getAffineY(), out, 1 + fieldLength, fieldLength);
            this.pub = out;
        }

        static EcShare create(int group, String curve, int fieldLength) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(curve));
                java.security.KeyPair kp = g.generateKeyPair();
                return new EcShare(group, fieldLength, kp.getPrivate(), (ECPublicKey) kp.getPublic());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK lacks " + curve, e);
            }
        }

        private static void put(BigInteger v, byte[] out, int off, int len) {
            byte[] b = v.toByteArray();
            int skip = b.length > len ? b.length - len : 0;
            System.arraycopy(b, skip, out, off + len - (b.length - skip), b.length - skip);
        }

        public int group() {
            return group;
        }

        public byte[] publicShare() {
            return pub.clone();
        }

        public byte[] agree(byte[] serverShare) throws UtlsHandshakeException {
            if (serverShare.length != 1 + 2 * fieldLength || serverShare[0] != 4) {
                throw new UtlsHandshakeException("server EC share must be an uncompressed point", ILLEGAL_PARAMETER);
            }
            try {
                BigInteger x = new BigInteger(1, Arrays.copyOfRange(serverShare, 1, 1 + fieldLength));
                BigInteger y = new BigInteger(1, Arrays.copyOfRange(serverShare, 1 + fieldLength, serverShare.length));
                java.security.PublicKey peer = KeyFactory.getInstance("EC")
                        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
                KeyAgreement ka = KeyAgreement.getInstance("ECDH");
                ka.init(priv);
                ka.doPhase(peer, true);
                return ka.generateSecret();
            } catch (GeneralSecurityException | IllegalStateException e) {
                throw new UtlsHandshakeException("server EC share is not a valid point", ILLEGAL_PARAMETER);
            }
        }

        public void close() {
            try {
                priv.destroy();
            } catch (javax.security.auth.DestroyFailedException e) {
                // JDK EC private keys cannot be destroyed in place; the object is dropped with the share.
            }
        }
    }
}
