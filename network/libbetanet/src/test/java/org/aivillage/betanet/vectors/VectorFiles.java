package org.aivillage.betanet.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import org.aivillage.testkit.SharedVectors;

/**
 * JSON vector files (Wycheproof, cacophony) from {@code ../shared/vectors}, located by the testkit's
 * {@link SharedVectors}, which fails the test when the folder or the file is missing.
 */
public final class VectorFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private VectorFiles() {}

    /** Parses a JSON vector file, e.g. {@code json("wycheproof/x25519_test.json")}. */
    public static JsonNode json(String relative) {
        try {
            return JSON.readTree(SharedVectors.resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + relative, e);
        }
    }

    /** Hex-decodes a JSON text field; a missing field decodes to an empty array. */
    public static byte[] hex(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? new byte[0] : HEX.parseHex(n.asText());
    }
}
