package org.aivillage.dtn;

import java.util.Map;
import java.util.Optional;

/**
 * BPSec policy and keys (from the node configuration). Keys are indexed by security source node
 * ID: a node signs (BIB-HMAC-SHA2) and encrypts (BCB-AES-GCM, 32-byte key) its own bundles' payload
 * with the keys listed under its own node ID, and verifies/decrypts received bundles with the key of
 * the security source named in the block. {@code requireIntegrity} drops bundles to local endpoints
 * that carry no BIB.
 */
public record BpsecConfig(Map<EndpointId, byte[]> integrityKeys, Map<EndpointId, byte[]> confidentialityKeys,
        boolean signOutgoing, boolean encryptOutgoing, boolean requireIntegrity) {

    public static final BpsecConfig NONE = new BpsecConfig(Map.of(), Map.of(), false, false, false);

    public BpsecConfig {
        integrityKeys = Map.copyOf(integrityKeys);
        confidentialityKeys = Map.copyOf(confidentialityKeys);
        for (byte[] k : confidentialityKeys.values()) {
            if (k.length != 32) {
                throw new IllegalArgumentException("BCB-AES-GCM keys are 32 bytes (A256GCM)");
            }
        }
    }

    /**
     * Reads a BPSec key file (TOML):
     *
     * <pre>
     * sign = true                # add a BIB to bundles this node originates
     * encrypt = false            # add a BCB to them
     * require_integrity = false  # drop bundles for local endpoints without a BIB
     * [integrity]                # BIB-HMAC-SHA2 keys by security source node, hex
     * "dtn://alpha/" = "00112233..."
     * [confidentiality]          # BCB-AES-GCM keys (32 bytes) by security source node, hex
     * "dtn://alpha/" = "..."
     * </pre>
     *
     * Throws {@link IllegalArgumentException} naming the file and key (never the key material).
     */
    public static BpsecConfig load(java.nio.file.Path file) throws java.io.IOException {
        org.tomlj.TomlParseResult t = org.tomlj.Toml.parse(file);
        if (t.hasErrors()) {
            throw new IllegalArgumentException(file + ": " + t.errors().getFirst().toString());
        }
        return new BpsecConfig(keys(file, t, "integrity"), keys(file, t, "confidentiality"), flag(file, t, "sign"),
                flag(file, t, "encrypt"), flag(file, t, "require_integrity"));
    }

    private static boolean flag(java.nio.file.Path file, org.tomlj.TomlParseResult t, String key) {
        if (!t.contains(key)) {
            return false;
        }
        if (!t.isBoolean(key)) {
            throw new IllegalArgumentException(file + ": " + key + " must be true or false");
        }
        return t.getBoolean(key);
    }

    private static Map<EndpointId, byte[]> keys(java.nio.file.Path file, org.tomlj.TomlParseResult t, String section) {
        Map<EndpointId, byte[]> out = new java.util.HashMap<>();
        if (!t.contains(section)) {
            return out;
        }
        if (!t.isTable(section)) {
            throw new IllegalArgumentException(file + ": [" + section + "] must be a table of node ID = hex key");
        }
        org.tomlj.TomlTable table = t.getTable(section);
        for (String node : table.keySet()) {
            String where = file + ": [" + section + "] \"" + node + "\"";
            Object v = table.get(java.util.List.of(node));
            if (!(v instanceof String hex)) {
                throw new IllegalArgumentException(where + " must be a hex string");
            }
            EndpointId id;
            try {
                id = EndpointId.parse(node).node();
                byte[] key = java.util.HexFormat.of().parseHex(hex.strip());
                if (key.length < 16) {
                    throw new IllegalArgumentException(where + ": keys are at least 16 bytes");
                }
                out.put(id, key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(file.toString()) ? e.getMessage()
                        : where + ": not a node ID with a hex key");
            }
        }
        return out;
    }

    Bpsec.KeyResolver resolver() {
        return (source, context) -> Optional.ofNullable(
                (context == Bpsec.CONTEXT_BIB_HMAC_SHA2 ? integrityKeys : confidentialityKeys).get(source.node()));
    }

    @Override
    public String toString() {
        return "BpsecConfig[integrityKeys=" + integrityKeys.keySet() + ", confidentialityKeys="
                + confidentialityKeys.keySet() + ", sign=" + signOutgoing + ", encrypt=" + encryptOutgoing
                + ", requireIntegrity=" + requireIntegrity + "]";
    }
}
