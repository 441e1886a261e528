package org.aivillage.betanet.keys;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key file text format, version 1: UTF-8 lines {@code field: value}, '#' comments, hex values.
 *
 * <pre>
 * betanet-key-file: 1
 * type: x25519                                  (or ed25519)
 * public-key: &lt;32 bytes hex&gt;
 * protection: none                              (or argon2id-xchacha20poly1305)
 * private-key: &lt;32 bytes hex&gt;                   (protection none)
 *
 * protection: argon2id-xchacha20poly1305
 * argon2-memory-kib: 65536
 * argon2-iterations: 3
 * argon2-parallelism: 4
 * argon2-salt: &lt;16 bytes hex&gt;
 * nonce: &lt;24 bytes hex&gt;
 * private-key: &lt;48 bytes hex: ciphertext || tag&gt;
 * </pre>
 *
 * With protection, key = Argon2id(passphrase UTF-8, salt, memory, iterations, parallelism, 32 bytes)
 * and the private key is sealed with XChaCha20-Poly1305 under {@link #associatedData(KeyType, byte[],
 * Argon2Parameters, byte[])}, so changing the type, public key or parameters is detected. Parsing and
 * formatting are pure functions; {@link #parse(String)} throws only {@link KeyFileException}
 * (reason MALFORMED) naming the line and field.
 */
public final class KeyFileFormat {
    public static final int VERSION = 1;
    public static final String PROTECTION_NONE = "none";
    public static final String PROTECTION_ARGON2_XCHACHA = "argon2id-xchacha20poly1305";
    public static final int SALT_LENGTH = 16;
    public static final int NONCE_LENGTH = 24;
    /** Key files are tiny; anything longer is refused before parsing. */
    public static final int MAX_TEXT_LENGTH = 16 * 1024;

    private static final HexFormat HEX = HexFormat.of();
    private static final Set<String> PLAIN_FIELDS = Set.of("betanet-key-file", "type", "public-key", "protection", "private-key");
    private static final Set<String> ENCRYPTED_FIELDS = Set.of("betanet-key-file", "type", "public-key", "protection",
            "argon2-memory-kib", "argon2-iterations", "argon2-parallelism", "argon2-salt", "nonce", "private-key");

    private KeyFileFormat() {}

    /** The file text for {@code contents}. */
    public static String format(KeyFileContents contents) {
        StringBuilder b = new StringBuilder();
        b.append("# BetaNet key file: keep it private (mode 0600). Format: network/libbetanet/README.md\n");
        b.append("betanet-key-file: ").append(VERSION).append('\n');
        b.append("type: ").append(contents.type().fileName()).append('\n');
        b.append("public-key: ").append(HEX.formatHex(contents.publicKey())).append('\n');
        switch (contents.protection()) {
            case KeyFileContents.Plain p -> {
                b.append("protection: ").append(PROTECTION_NONE).append('\n');
                b.append("private-key: ").append(HEX.formatHex(p.privateKey())).append('\n');
            }
            case KeyFileContents.Encrypted e -> {
                b.append("protection: ").append(PROTECTION_ARGON2_XCHACHA).append('\n');
                b.append("argon2-memory-kib: ").append(e.kdf().memoryKib()).append('\n');
                b.append("argon2-iterations: ").append(e.kdf().iterations()).append('\n');
                b.append("argon2-parallelism: ").append(e.kdf().parallelism()).append('\n');
                b.append("argon2-salt: ").append(HEX.formatHex(e.salt())).append('\n');
                b.append("nonce: ").append(HEX.formatHex(e.nonce())).append('\n');
                b.append("private-key: ").append(HEX.formatHex(e.ciphertext())).append('\n');
            }
        }
        return b.toString();
    }

    /** Parses key file text. */
    public static KeyFileContents parse(String text) throws KeyFileException {
        if (text.length() > MAX_TEXT_LENGTH) {
            throw malformed("file is " + text.length() + " characters, a key file has at most " + MAX_TEXT_LENGTH);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("line " + (i + 1) + ": expected 'field: value'");
            }
            String field = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (!ENCRYPTED_FIELDS.contains(field)) {
                throw malformed("line " + (i + 1) + ": unknown field '" + printable(field) + "'");
            }
            if (fields.putIfAbsent(field, value) != null) {
                throw malformed("line " + (i + 1) + ": field '" + field + "' appears twice");
            }
            lineOf.put(field, i + 1);
        }
        String version = require(fields, "betanet-key-file");
        if (!version.equals(Integer.toString(VERSION))) {
            throw malformed(at(lineOf, "betanet-key-file") + "unsupported version '" + printable(version) + "' (this build reads 1)");
        }
        KeyType type;
        try {
            type = KeyType.fromName(require(fields, "type"));
        } catch (IllegalArgumentException e) {
            throw malformed(at(lineOf, "type") + e.getMessage());
        }
        byte[] publicKey = hex(fields, lineOf, "public-key", KeyType.KEY_LENGTH);
        String protection = require(fields, "protection");
        switch (protection) {
            case PROTECTION_NONE -> {
                for (String f : fields.keySet()) {
                    if (!PLAIN_FIELDS.contains(f)) {
                        throw malformed(at(lineOf, f) + "field '" + f + "' does not belong to protection none");
                    }
                }
                byte[] priv = hex(fields, lineOf, "private-key", KeyType.KEY_LENGTH);
                return new KeyFileContents(type, publicKey, new KeyFileContents.Plain(priv));
            }
            case PROTECTION_ARGON2_XCHACHA -> {
                Argon2Parameters kdf;
                int m = integer(fields, lineOf, "argon2-memory-kib");
                int t = integer(fields, lineOf, "argon2-iterations");
                int p = integer(fields, lineOf, "argon2-parallelism");
                try {
                    kdf = new Argon2Parameters(m, t, p);
                } catch (IllegalArgumentException e) {
                    throw malformed(at(lineOf, "argon2-memory-kib") + e.getMessage());
                }
                byte[] salt = hex(fields, lineOf, "argon2-salt", SALT_LENGTH);
                byte[] nonce = hex(fields, lineOf, "nonce", NONCE_LENGTH);
                byte[] ct = hex(fields, lineOf, "private-key", KeyType.KEY_LENGTH + 16);
                return new KeyFileContents(type, publicKey, new KeyFileContents.Encrypted(kdf, salt, nonce, ct));
            }
            default -> throw malformed(at(lineOf, "protection") + "unknown protection '" + printable(protection)
                    + "' (known: none, " + PROTECTION_ARGON2_XCHACHA + ")");
        }
    }

    /** The AEAD associated data of a protected key: binds every clear field that matters. */
    public static byte[] associatedData(KeyType type, byte[] publicKey, Argon2Parameters kdf, byte[] salt) {
        String s = "betanet-key-file:" + VERSION + "|" + type.fileName() + "|" + HEX.formatHex(publicKey) + "|"
                + kdf.memoryKib() + "|" + kdf.iterations() + "|" + kdf.parallelism() + "|" + HEX.formatHex(salt);
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String require(Map<String, String> fields, String field) throws KeyFileException {
        String v = fields.get(field);
        if (v == null) {
            throw malformed("field '" + field + "' is missing");
        }
        return v;
    }

    private static String at(Map<String, Integer> lineOf, String field) {
        Integer line = lineOf.get(field);
        return line == null ? "" : "line " + line + ": ";
    }

    private static byte[] hex(Map<String, String> fields, Map<String, Integer> lineOf, String field, int length)
            throws KeyFileException {
        String v = require(fields, field);
        byte[] out;
        try {
            out = HEX.parseHex(v);
        } catch (IllegalArgumentException e) {
            throw malformed(at(lineOf, field) + "field '" + field + "' is not hex");
        }
        if (out.length != length) {
            throw malformed(at(lineOf, field) + "field '" + field + "' must be " + length + " bytes, was " + out.length);
        }
        return out;
    }

    private static int integer(Map<String, String> fields, Map<String, Integer> lineOf, String field)
            throws KeyFileException {
        String v = require(fields, field);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw malformed(at(lineOf, field) + "field '" + field + "' is not an integer");
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static KeyFileException malformed(String message) {
        return new KeyFileException(KeyFileException.Reason.MALFORMED, message);
    }
}
