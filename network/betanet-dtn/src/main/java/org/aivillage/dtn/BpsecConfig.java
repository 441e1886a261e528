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
