package org.aivillage.betanet.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.Argon2id;
import org.aivillage.betanet.crypto.ConstantTime;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.Randomness;

/**
 * Generates, saves and loads key files ({@link KeyFileFormat}). Files are written atomically (a
 * temporary file in the same directory, created with mode 0600, fsynced, then renamed over the
 * target) so a crash leaves either the old file or the new one, never half a key.
 */
public final class KeyFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFiles() {}

    /**
     * Saves {@code key} to {@code file}; with a non-null, non-empty passphrase the private key is
     * protected with Argon2id ({@code kdf}) and XChaCha20-Poly1305.
     *
     * @throws KeyFileException ALREADY_EXISTS when the file exists and {@code overwrite} is false; IO
     */
    public static void save(Path file, TypedKeyPair key, char[] passphrase, Argon2Parameters kdf, boolean overwrite)
            throws KeyFileException {
        KeyFileContents contents = protect(key, passphrase, kdf);
        writeAtomically(file, KeyFileFormat.format(contents).getBytes(StandardCharsets.UTF_8), overwrite);
    }

    /** Saves with the default Argon2id parameters, refusing to overwrite. */
    public static void save(Path file, TypedKeyPair key, char[] passphrase) throws KeyFileException {
        save(file, key, passphrase, Argon2Parameters.DEFAULT, false);
    }

    /** The file's contents for {@code key}: private key in clear, or sealed under the passphrase. */
    public static KeyFileContents protect(TypedKeyPair key, char[] passphrase, Argon2Parameters kdf) {
        byte[] priv = key.keyPair().privateKey();
        try {
            if (passphrase == null || passphrase.length == 0) {
                return new KeyFileContents(key.type(), key.publicKey(), new KeyFileContents.Plain(priv));
            }
            byte[] salt = Randomness.bytes(KeyFileFormat.SALT_LENGTH);
            byte[] nonce = Randomness.bytes(KeyFileFormat.NONCE_LENGTH);
            byte[] k = argon2id(passphrase, salt, kdf);
            Aead aead = Aead.xChaCha20Poly1305(k);
            ConstantTime.wipe(k);
            try {
                byte[] ct = aead.seal(nonce, KeyFileFormat.associatedData(key.type(), key.publicKey(), kdf, salt), priv);
                return new KeyFileContents(key.type(), key.publicKey(), new KeyFileContents.Encrypted(kdf, salt, nonce, ct));
            } finally {
                aead.destroy();
            }
        } finally {
            ConstantTime.wipe(priv);
        }
    }

    /** Reads the clear part of a key file (type, public key, protection) without a passphrase. */
    public static KeyFileContents read(Path file) throws KeyFileException {
        byte[] raw;
        try {
            long size = Files.size(file);
            if (size > KeyFileFormat.MAX_TEXT_LENGTH) {
                throw new KeyFileException(KeyFileException.Reason.MALFORMED,
                        file + ": " + size + " bytes is too large for a key file");
            }
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new KeyFileException(KeyFileException.Reason.IO, file + ": cannot read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
            return KeyFileFormat.parse(text);
        } catch (CharacterCodingException e) {
            throw new KeyFileException(KeyFileException.Reason.MALFORMED, file + ": not UTF-8 text");
        } catch (KeyFileException e) {
            throw new KeyFileException(e.reason(), file + ": " + e.getMessage(), e);
        } finally {
            ConstantTime.wipe(raw);
        }
    }

    /**
     * Loads the key pair of {@code file}, decrypting with {@code passphrase} if it is protected
     * (the passphrase may be null for an unprotected file). The private key is checked against the
     * public key in the file.
     *
     * @throws KeyFileException PASSPHRASE_REQUIRED, WRONG_PASSPHRASE, MALFORMED or IO
     */
    public static TypedKeyPair load(Path file, char[] passphrase) throws KeyFileException {
        KeyFileContents c = read(file);
        try {
            return unprotect(c, passphrase);
        } catch (KeyFileException e) {
            throw new KeyFileException(e.reason(), file + ": " + e.getMessage(), e);
        }
    }

    /** The key pair of parsed contents (see {@link #load(Path, char[])}). */
    public static TypedKeyPair unprotect(KeyFileContents c, char[] passphrase) throws KeyFileException {
        byte[] priv = switch (c.protection()) {
            case KeyFileContents.Plain p -> p.privateKey();
            case KeyFileContents.Encrypted e -> {
                if (passphrase == null || passphrase.length == 0) {
                    throw new KeyFileException(KeyFileException.Reason.PASSPHRASE_REQUIRED,
                            "the key is passphrase-protected; give the passphrase");
                }
                byte[] k = argon2id(passphrase, e.salt(), e.kdf());
                Aead aead = Aead.xChaCha20Poly1305(k);
                ConstantTime.wipe(k);
                try {
                    yield aead.open(e.nonce(), KeyFileFormat.associatedData(c.type(), c.publicKey(), e.kdf(), e.salt()),
                            e.ciphertext());
                } catch (AuthenticationFailedException ex) {
                    throw new KeyFileException(KeyFileException.Reason.WRONG_PASSPHRASE,
                            "wrong passphrase (or the file's protected fields were modified)");
                } finally {
                    aead.destroy();
                }
            }
        };
        try {
            byte[] derived = c.type().publicKeyOf(priv);
            if (!ConstantTime.equals(derived, c.publicKey())) {
                throw new KeyFileException(KeyFileException.Reason.MALFORMED,
                        "the private key does not match the public key in the file");
            }
            return new TypedKeyPair(c.type(), new KeyPair(priv, derived));
        } finally {
            ConstantTime.wipe(priv);
        }
    }

    /** Argon2id (RFC 9106, version 0x13) of the UTF-8 passphrase: 32 bytes, through the crypto facade. */
    static byte[] argon2id(char[] passphrase, byte[] salt, Argon2Parameters kdf) {
        return Argon2id.derive(passphrase, salt, kdf.toArgon2id(), 32);
    }

    /** Writes {@code data} to {@code file} atomically with mode 0600 (where the file system has POSIX modes). */
    static void writeAtomically(Path file, byte[] data, boolean overwrite) throws KeyFileException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (!overwrite && Files.exists(target)) {
            throw new KeyFileException(KeyFileException.Reason.ALREADY_EXISTS,
                    file + " already exists; refusing to overwrite a key file");
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp", attrs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            }
            if (overwrite) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A hard link fails if the target appeared meanwhile: no race can overwrite a key.
                try {
                    Files.createLink(target, tmp);
                    Files.delete(tmp);
                } catch (FileAlreadyExistsException e) {
                    throw new KeyFileException(KeyFileException.Reason.ALREADY_EXISTS,
                            file + " already exists; refusing to overwrite a key file");
                } catch (IOException | UnsupportedOperationException e) {
                    // No hard links here (some file systems): check, then rename.
                    if (Files.exists(target)) {
                        throw new KeyFileException(KeyFileException.Reason.ALREADY_EXISTS,
                                file + " already exists; refusing to overwrite a key file");
                    }
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            tmp = null;
            syncDirectory(dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new KeyFileException(KeyFileException.Reason.IO, file + ": the file system cannot rename atomically", e);
        } catch (IOException e) {
            throw new KeyFileException(KeyFileException.Reason.IO, file + ": cannot write (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } finally {
            ConstantTime.wipe(data);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file has mode 0600
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory; the rename itself is still atomic.
        }
    }
}
