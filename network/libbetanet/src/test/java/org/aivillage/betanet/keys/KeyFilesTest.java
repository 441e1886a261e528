package org.aivillage.betanet.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyFilesTest {
    /** Cheap Argon2id cost for tests that are about the file handling, not the KDF cost. */
    private static final Argon2Parameters FAST = new Argon2Parameters(64, 1, 1);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void unprotectedKeysRoundTripWithMode0600(KeyType type) throws Exception {
        TypedKeyPair key = TypedKeyPair.generate(type);
        Path file = dir.resolve("node.key");
        KeyFiles.save(file, key, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("betanet-key-file: 1", "type: " + type.fileName(), "protection: none",
                "public-key: " + HexFormat.of().formatHex(key.publicKey()));
        TypedKeyPair loaded = KeyFiles.load(file, null);
        assertThat(loaded.type()).isEqualTo(type);
        assertThat(loaded.keyPair()).isEqualTo(key.keyPair());
        assertThat(KeyFiles.read(file).publicKey()).isEqualTo(key.publicKey());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void loadedKeysWork() throws Exception {
        Path x = dir.resolve("x.key");
        Path e = dir.resolve("e.key");
        KeyFiles.save(x, TypedKeyPair.generate(KeyType.X25519), null);
        KeyFiles.save(e, TypedKeyPair.generate(KeyType.ED25519), null);
        TypedKeyPair xk = KeyFiles.load(x, null);
        TypedKeyPair ek = KeyFiles.load(e, null);
        var other = X25519.generateKeyPair();
        assertThat(X25519.sharedSecret(xk.keyPair().privateKey(), other.publicKey()))
                .isEqualTo(X25519.sharedSecret(other.privateKey(), xk.publicKey()));
        byte[] sig = Ed25519.sign(ek.keyPair().privateKey(), "m".getBytes());
        assertThat(Ed25519.verify(ek.publicKey(), "m".getBytes(), sig)).isTrue();
    }

    @Test
    void passphraseProtectionRoundTripsAndRefusesTheWrongOne() throws Exception {
        TypedKeyPair key = TypedKeyPair.generate(KeyType.ED25519);
        Path file = dir.resolve("id.key");
        KeyFiles.save(file, key, "correct horse".toCharArray(), FAST, false);
        String text = Files.readString(file);
        assertThat(text).contains("protection: argon2id-xchacha20poly1305", "argon2-memory-kib: 64")
                .doesNotContain(HexFormat.of().formatHex(key.keyPair().privateKey()));
        assertThat(KeyFiles.load(file, "correct horse".toCharArray()).keyPair()).isEqualTo(key.keyPair());
        assertThatThrownBy(() -> KeyFiles.load(file, "wrong".toCharArray()))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE))
                .hasMessageContaining("wrong passphrase").hasMessageContaining(file.toString());
        assertThatThrownBy(() -> KeyFiles.load(file, null))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.PASSPHRASE_REQUIRED));
        // The public key is readable without the passphrase.
        assertThat(KeyFiles.read(file).publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void theDefaultCostIsRfc9106SecondOptionAndWorks() throws Exception {
        assertThat(Argon2Parameters.DEFAULT).isEqualTo(new Argon2Parameters(65_536, 3, 4));
        TypedKeyPair key = TypedKeyPair.generate(KeyType.X25519);
        Path file = dir.resolve("default.key");
        KeyFiles.save(file, key, "pw".toCharArray());
        assertThat(Files.readString(file)).contains("argon2-memory-kib: 65536", "argon2-iterations: 3",
                "argon2-parallelism: 4");
        assertThat(KeyFiles.load(file, "pw".toCharArray()).keyPair()).isEqualTo(key.keyPair());
    }

    @Test
    void protectedFieldsAreBoundToTheCiphertext() throws Exception {
        TypedKeyPair key = TypedKeyPair.generate(KeyType.X25519);
        Path file = dir.resolve("k.key");
        KeyFiles.save(file, key, "pw".toCharArray(), FAST, false);
        String text = Files.readString(file);
        String otherPub = HexFormat.of().formatHex(X25519.generateKeyPair().publicKey());
        Files.writeString(file, text.replaceAll("public-key: [0-9a-f]+", "public-key: " + otherPub));
        assertThatThrownBy(() -> KeyFiles.load(file, "pw".toCharArray()))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.WRONG_PASSPHRASE));
    }

    @Test
    void aPlainFileWhosePublicKeyDoesNotMatchIsMalformed() throws Exception {
        Path file = dir.resolve("k.key");
        KeyFiles.save(file, TypedKeyPair.generate(KeyType.X25519), null);
        String otherPub = HexFormat.of().formatHex(X25519.generateKeyPair().publicKey());
        Files.writeString(file, Files.readString(file).replaceAll("public-key: [0-9a-f]+", "public-key: " + otherPub));
        assertThatThrownBy(() -> KeyFiles.load(file, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void existingFilesAreNotOverwrittenUnlessAsked() throws Exception {
        Path file = dir.resolve("k.key");
        TypedKeyPair first = TypedKeyPair.generate(KeyType.X25519);
        KeyFiles.save(file, first, null);
        assertThatThrownBy(() -> KeyFiles.save(file, TypedKeyPair.generate(KeyType.X25519), null))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.ALREADY_EXISTS));
        assertThat(KeyFiles.load(file, null).keyPair()).isEqualTo(first.keyPair());
        TypedKeyPair second = TypedKeyPair.generate(KeyType.X25519);
        KeyFiles.save(file, second, null, FAST, true);
        assertThat(KeyFiles.load(file, null).keyPair()).isEqualTo(second.keyPair());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void malformedFilesNameTheLineAndField() throws Exception {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "betanet-key-file: 1\ntype: x25519\npublic-key: zz\nprotection: none\nprivate-key: 00\n");
        assertThatThrownBy(() -> KeyFiles.load(file, null)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("line 3").hasMessageContaining("public-key");
        Files.writeString(file, "betanet-key-file: 1\ntype: rsa\n");
        assertThatThrownBy(() -> KeyFiles.read(file)).hasMessageContaining("line 2").hasMessageContaining("rsa");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThatThrownBy(() -> KeyFiles.read(file)).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> KeyFiles.read(dir.resolve("missing.key")))
                .isInstanceOfSatisfying(KeyFileException.class,
                        e -> assertThat(e.reason()).isEqualTo(KeyFileException.Reason.IO));
    }

    @Test
    void keyFilesDeriveTheirKeyWithTheFacadeArgon2id() {
        // The facade is checked against RFC 9106 §5.3 in Argon2idTest; here: the key file passes
        // its passphrase (UTF-8) and parameters through unchanged.
        byte[] salt = filled(16, 0x02);
        byte[] expected = org.aivillage.betanet.crypto.Argon2id.derive("pässword".getBytes(StandardCharsets.UTF_8), salt,
                new org.aivillage.betanet.crypto.Argon2id.Parameters(32, 3, 4), 32);
        assertThat(KeyFiles.argon2id("pässword".toCharArray(), salt, new Argon2Parameters(32, 3, 4))).isEqualTo(expected);
        assertThat(new Argon2Parameters(32, 3, 4).toArgon2id()).isEqualTo(new org.aivillage.betanet.crypto.Argon2id.Parameters(32, 3, 4));
        assertThat(Argon2Parameters.of(org.aivillage.betanet.crypto.Argon2id.Parameters.DEFAULT)).isEqualTo(Argon2Parameters.DEFAULT);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
