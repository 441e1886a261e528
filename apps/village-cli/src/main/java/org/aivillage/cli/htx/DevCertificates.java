package org.aivillage.cli.htx;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.aivillage.betanet.crypto.Randomness;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private CA and a server certificate for trying HTX without a public certificate: ca.pem
 * (give it to clients with --ca), chain.pem and key.pem (the server's). ECDSA P-256, 90 days.
 */
final class DevCertificates {
    private DevCertificates() {}

    static void write(Path dir, List<String> names) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKey = g.generateKeyPair();
            KeyPair leafKey = g.generateKeyPair();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(Duration.ofDays(90)));
            X500Name caName = new X500Name("CN=village htx development CA");
            var cb = new JcaX509v3CertificateBuilder(caName, new BigInteger(1, Randomness.bytes(16)), from, to, caName, caKey.getPublic());
            cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            cb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(cb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                boolean ip = n.matches("[0-9.]+") || n.contains(":");
                sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            var lb = new JcaX509v3CertificateBuilder(caName, new BigInteger(1, Randomness.bytes(16)), from, to,
                    new X500Name("CN=" + names.getFirst()), leafKey.getPublic());
            lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            lb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(lb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
            Files.writeString(dir.resolve("ca.pem"), pem(ca));
            Files.writeString(dir.resolve("chain.pem"), pem(leaf) + pem(ca));
            Path key = dir.resolve("key.pem");
            Files.writeString(key, pem(new JcaPKCS8Generator(leafKey.getPrivate(), null).generate()));
            try {
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create development certificates: " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
