package org.aivillage.betanet.htx;

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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * A private CA and one server certificate for trying HTX without a public certificate (the local
 * testnet, {@code village htx serve} without {@code --cert}): {@code ca.pem} for clients,
 * {@code chain.pem} (leaf then CA) and {@code key.pem} (PKCS#8, mode 0600) for the server. ECDSA P-256.
 * Never for public deployment: real servers use real certificates ({@link TlsIdentity.PemFiles}).
 */
public final class DevCertificates {
    private DevCertificates() {}

    /**
     * Writes {@code ca.pem}, {@code chain.pem} and {@code key.pem} into {@code dir} (created if needed).
     *
     * @param names the server's DNS names and IP literals (subject alternative names); the first is its CN
     * @param caName the CA's common name, e.g. "village testnet CA"
     * @param validity how long both certificates stay valid
     */
    public static void write(Path dir, List<String> names, String caName, Duration validity) throws IOException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one server name is needed");
        }
        Files.createDirectories(dir);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKey = g.generateKeyPair();
            KeyPair leafKey = g.generateKeyPair();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(validity));
            X500Name ca500 = new X500Name("CN=" + caName);
            var cb = new JcaX509v3CertificateBuilder(ca500, new BigInteger(1, Randomness.bytes(16)), from, to, ca500,
                    caKey.getPublic());
            cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            cb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(cb.build(signer));
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                boolean ip = n.matches("[0-9.]+") || n.contains(":");
                sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            var lb = new JcaX509v3CertificateBuilder(ca500, new BigInteger(1, Randomness.bytes(16)), from, to,
                    new X500Name("CN=" + names.getFirst()), leafKey.getPublic());
            lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            lb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(lb.build(signer));
            Files.writeString(dir.resolve("ca.pem"), pem(ca));
            Files.writeString(dir.resolve("chain.pem"), pem(leaf) + pem(ca));
            writePrivate(dir.resolve("key.pem"), pem(new JcaPKCS8Generator(leafKey.getPrivate(), null).generate()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create development certificates: " + e.getMessage(), e);
        }
    }

    /** Creates the key file readable by its owner only before any byte of the key is written. */
    private static void writePrivate(Path key, String pem) throws IOException {
        Files.deleteIfExists(key);
        try {
            FileAttribute<Set<PosixFilePermission>> ownerOnly =
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            Files.createFile(key, ownerOnly);
        } catch (UnsupportedOperationException e) {
            Files.createFile(key); // not a POSIX file system
        }
        Files.writeString(key, pem);
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
