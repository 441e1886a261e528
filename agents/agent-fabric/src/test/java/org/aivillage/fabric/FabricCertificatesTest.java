package org.aivillage.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricCertificatesTest {
    private static X509Certificate read(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void issuesNodeCertificatesSignedByTheCaWithTheSharedName(@TempDir Path dir) throws Exception {
        Map<String, TlsSettings> files = FabricCertificates.generate(dir, List.of("n1", "n2"), Duration.ofDays(2));
        X509Certificate ca = read(dir.resolve("ca.crt"));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        for (String n : List.of("n1", "n2")) {
            TlsSettings tls = files.get(n);
            X509Certificate cert = read(tls.certFile());
            cert.verify(ca.getPublicKey());
            cert.checkValidity();
            assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                    .contains(FabricCertificates.CLUSTER_NAME, n, "127.0.0.1");
            assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
            assertThat(Files.readString(tls.keyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(Files.getPosixFilePermissions(tls.keyFile()))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
        // The CA is kept when more nodes are added later.
        byte[] before = Files.readAllBytes(dir.resolve("ca.crt"));
        FabricCertificates.generate(dir, List.of("n3"), Duration.ofDays(2));
        assertThat(Files.readAllBytes(dir.resolve("ca.crt"))).isEqualTo(before);
        read(dir.resolve("n3.crt")).verify(ca.getPublicKey());
    }
}
