package org.aivillage.betanet.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Locates the shared test vectors ({@code ../shared/vectors} beside the repository root). The root
 * comes from the system property {@code aivillage.repo.root} (surefire sets it to the reactor root)
 * or, when run from an IDE, from the working directory upwards. A missing file is an
 * {@link AssertionError}: tests that need vectors fail, they never skip.
 */
public final class SharedVectors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private SharedVectors() {}

    /** The vectors folder, {@code <repo root>/../shared/vectors}. */
    public static Path root() {
        String prop = System.getProperty("aivillage.repo.root");
        Path start = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/vectors").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            if (prop != null) {
                break; // the property names the root exactly: do not wander
            }
        }
        throw new AssertionError("shared test vectors not found: expected ../shared/vectors beside the repository root "
                + start.toAbsolutePath() + " (clone the shared resources there)");
    }

    /** A vector file under the vectors folder; fails when it does not exist. */
    public static Path file(String relative) {
        Path f = root().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new AssertionError("test vector file missing: " + f);
        }
        return f;
    }

    /** Parses a JSON vector file (Wycheproof files and cacophony.txt are JSON). */
    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(file(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + relative, e);
        }
    }

    /** Hex-decodes a JSON text node; a missing node decodes to an empty array. */
    public static byte[] hex(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? new byte[0] : HEX.parseHex(n.asText());
    }
}
