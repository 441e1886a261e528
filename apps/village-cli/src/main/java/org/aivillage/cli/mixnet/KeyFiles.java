package org.aivillage.cli.mixnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.config.UserException;

/** Ed25519 key files: the 32-byte private seed as one line of hex, readable by the owner only. */
final class KeyFiles {
    private KeyFiles() {}

    static KeyPair readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        KeyPair kp = Ed25519.generateKeyPair();
        write(file, kp);
        return kp;
    }

    static KeyPair read(Path file) throws IOException {
        String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] seed;
        try {
            seed = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new UserException(file + ": not a hex Ed25519 key");
        }
        if (seed.length != 32) {
            throw new UserException(file + ": an Ed25519 key file holds 32 bytes of hex, found " + seed.length);
        }
        KeyPair kp = new KeyPair(seed, Ed25519.publicKey(seed));
        java.util.Arrays.fill(seed, (byte) 0);
        return kp;
    }

    static void write(Path file, KeyPair kp) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".key", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
        byte[] priv = kp.privateKey();
        Files.writeString(tmp, HexFormat.of().formatHex(priv) + "\n", StandardCharsets.US_ASCII);
        java.util.Arrays.fill(priv, (byte) 0);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static byte[] parsePublicKey(String hex) {
        try {
            byte[] k = HexFormat.of().parseHex(hex.trim());
            if (k.length != 32) {
                throw new UserException("an Ed25519 public key is 32 bytes (64 hex digits), got " + k.length);
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new UserException("not a hex public key: " + hex);
        }
    }
}
