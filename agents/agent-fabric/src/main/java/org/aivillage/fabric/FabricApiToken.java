package org.aivillage.fabric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.aivillage.config.UserException;

/**
 * The bearer token every fabric API request must carry ({@code Authorization: Bearer <token>}):
 * 32 random bytes, Base64URL without padding (43 characters). A node keeps it in a file that only
 * its owner can read ({@code [agents.fabric] api_token_file}, default
 * {@code <global.data_dir>/fabric-api.token}), created at the node's first start; {@code village
 * fabric} commands read the same file. Checked in constant time; never logged ({@link #toString()}
 * is redacted).
 */
public final class FabricApiToken {
    /** The file name under the data directory when {@code api_token_file} is unset. */
    public static final String DEFAULT_FILE = "fabric-api.token";
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{32,512}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private final byte[] digest;

    private FabricApiToken(String value) {
        this.value = value;
        this.digest = sha256(value);
    }

    /** A fresh random token held in memory only (tests, embedded use). */
    public static FabricApiToken random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new FabricApiToken(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    /**
     * The token in {@code file}, or a new random one written there (owner read/write only) when the
     * file does not exist yet. Two nodes starting at once on the same file end with the same token.
     *
     * @throws UserException when the file cannot be read or written, or holds something that is not a token
     */
    public static FabricApiToken loadOrCreate(Path file) {
        if (Files.exists(file)) {
            return read(file);
        }
        FabricApiToken created = random();
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".fabric-api", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                Files.writeString(tmp, created.value + "\n", StandardCharsets.US_ASCII);
                try {
                    // Fails if another process created the file meanwhile: then that token is the one.
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    return read(file);
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserException("cannot create the fabric API token file " + file + ": " + e.getMessage());
        }
        return created;
    }

    /**
     * The token in {@code file}.
     *
     * @throws UserException when the file is missing, unreadable or does not hold a token
     */
    public static FabricApiToken read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new UserException("no fabric API token at " + file + " (the node creates it when it first starts;"
                    + " for a node elsewhere copy its token file and pass --token-file)");
        } catch (IOException e) {
            throw new UserException("cannot read the fabric API token file " + file + ": " + e.getMessage());
        }
        if (!FORMAT.matcher(text).matches()) {
            throw new UserException("the fabric API token file " + file + " does not hold a token"
                    + " (32 to 512 characters of A-Z a-z 0-9 _ -)");
        }
        return new FabricApiToken(text);
    }

    /** The {@code Authorization} header value a client sends. */
    public String authorizationHeader() {
        return "Bearer " + value;
    }

    /** Whether an {@code Authorization} header value presents this token (constant time in the token). */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Comparing digests keeps the time independent of where (and whether) the lengths differ.
        return MessageDigest.isEqual(digest, sha256(authorizationHeader.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "FabricApiToken[<redacted>]";
    }
}
