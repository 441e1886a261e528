package org.aivillage.bitchat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import javax.security.auth.Destroyable;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.keys.KeyFileException;
import org.aivillage.betanet.keys.KeyFiles;
import org.aivillage.betanet.keys.KeyType;
import org.aivillage.betanet.keys.TypedKeyPair;

/**
 * A mesh peer's long-term identity, as in BitChat: an X25519 Noise static key pair (sessions) and an
 * Ed25519 signing key pair (announces, public messages). The {@linkplain #fingerprint() fingerprint}
 * is SHA-256 of the Noise static public key in hex; the {@linkplain #peerId() peer ID} is its first
 * 8 bytes. {@link #toString()} never shows a private key.
 */
public final class BitChatIdentity implements Destroyable {
    /** File name of the Noise static key inside an identity directory. */
    public static final String NOISE_KEY_FILE = "bitchat-noise.key";
    /** File name of the signing key inside an identity directory. */
    public static final String SIGNING_KEY_FILE = "bitchat-signing.key";

    private final KeyPair noiseKeyPair;
    private final KeyPair signingKeyPair;
    private final MeshPeerId peerId;
    private final String fingerprint;

    private BitChatIdentity(KeyPair noiseKeyPair, KeyPair signingKeyPair) {
        this.noiseKeyPair = Objects.requireNonNull(noiseKeyPair, "noiseKeyPair");
        this.signingKeyPair = Objects.requireNonNull(signingKeyPair, "signingKeyPair");
        this.peerId = MeshPeerId.fromNoiseKey(noiseKeyPair.publicKey());
        this.fingerprint = fingerprintOf(noiseKeyPair.publicKey());
    }

    /** A fresh random identity. */
    public static BitChatIdentity generate() {
        return new BitChatIdentity(X25519.generateKeyPair(), Ed25519.generateKeyPair());
    }

    /** An identity from existing raw key pairs (X25519 for Noise, Ed25519 for signing). */
    public static BitChatIdentity of(KeyPair noiseKeyPair, KeyPair signingKeyPair) {
        return new BitChatIdentity(noiseKeyPair, signingKeyPair);
    }

    /**
     * Loads the identity kept in {@code directory} ({@value #NOISE_KEY_FILE}, {@value #SIGNING_KEY_FILE},
     * libbetanet key files without passphrase), creating the directory and fresh keys when absent.
     */
    public static BitChatIdentity loadOrCreate(Path directory) throws IOException {
        Files.createDirectories(directory);
        try {
            TypedKeyPair noise = loadOrGenerate(directory.resolve(NOISE_KEY_FILE), KeyType.X25519);
            TypedKeyPair signing = loadOrGenerate(directory.resolve(SIGNING_KEY_FILE), KeyType.ED25519);
            return new BitChatIdentity(noise.keyPair(), signing.keyPair());
        } catch (KeyFileException e) {
            throw new IOException("identity in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static TypedKeyPair loadOrGenerate(Path file, KeyType type) throws KeyFileException {
        if (Files.exists(file)) {
            TypedKeyPair k = KeyFiles.load(file, null);
            if (k.type() != type) {
                throw new KeyFileException(KeyFileException.Reason.MALFORMED,
                        file + " holds a " + k.type().fileName() + " key, expected " + type.fileName());
            }
            return k;
        }
        TypedKeyPair k = TypedKeyPair.generate(type);
        KeyFiles.save(file, k, null);
        return k;
    }

    /** SHA-256 of a Noise static public key, 64 lower-case hex digits. */
    public static String fingerprintOf(byte[] noiseStaticPublicKey) {
        return HexFormat.of().formatHex(Hashes.sha256(noiseStaticPublicKey));
    }

    public MeshPeerId peerId() {
        return peerId;
    }

    /** SHA-256 of the Noise static public key, in hex. */
    public String fingerprint() {
        return fingerprint;
    }

    public byte[] noisePublicKey() {
        return noiseKeyPair.publicKey();
    }

    public byte[] signingPublicKey() {
        return signingKeyPair.publicKey();
    }

    /** The Noise static key pair (for the session layer). */
    public KeyPair noiseKeyPair() {
        return noiseKeyPair;
    }

    /** An Ed25519 signature of {@code message} with the signing key. */
    public byte[] sign(byte[] message) {
        byte[] secret = signingKeyPair.privateKey();
        try {
            return Ed25519.sign(secret, message);
        } finally {
            ConstantTime.wipe(secret);
        }
    }

    @Override
    public void destroy() {
        noiseKeyPair.destroy();
        signingKeyPair.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return noiseKeyPair.isDestroyed();
    }

    @Override
    public String toString() {
        return "BitChatIdentity[peerId=" + peerId + ", fingerprint=" + fingerprint + "]";
    }
}
