package org.aivillage.fabric;

import java.nio.file.Path;
import java.util.Objects;

/**
 * PEM files for the cluster's mutual TLS (Pekko Artery {@code tls-tcp} with its rotating-keys
 * engine: files are re-read periodically, so certificates can be rotated in place). Every node's
 * certificate must be signed directly by the CA and share at least one subject name (CN or SAN)
 * with the other nodes' certificates; keys must be RSA. See docs/agent-fabric.md.
 */
public record TlsSettings(Path certFile, Path keyFile, Path caFile) {
    public TlsSettings {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(caFile, "caFile");
    }
}
