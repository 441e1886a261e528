package org.aivillage.fabric;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aivillage.betanet.crypto.Randomness;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Creates the PEM files for cluster TLS: a CA ({@code ca.crt}, {@code ca.key}) and, per node,
 * {@code NODE.crt} and {@code NODE.key} (RSA 2048, PKCS#8, mode 0600), signed by the CA, with
 * the subject alternative names {@value #CLUSTER_NAME} (shared by every node, which the
 * rotating-keys TLS engine checks), the node name, {@code localhost} and {@code 127.0.0.1}.
 * What {@code village fabric certs} runs; production sites may use their own PKI instead.
 */
public final class FabricCertificates {
    /** The subject name every node certificate carries. */
    public static final String CLUSTER_NAME = "aivillage-fabric";
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    private FabricCertificates() {
    }

    /** Creates {@code dir/ca.crt} and {@code dir/ca.key} unless they exist. */
    public static void ensureCa(Path dir, Duration validity) throws IOException {
        Path crt = dir.resolve("ca.crt");
        Path key = dir.resolve("ca.key");
        if (Files.exists(crt) && Files.exists(key)) {
            return;
        }
        Files.createDirectories(dir);
        try {
            KeyPair kp = rsa();
            X500Name name = new X500Name("CN=" + CLUSTER_NAME + " CA");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minusSeconds(3600)), Date.from(now.plus(validity)), name, kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
            X509Certificate cert = sign(b, kp.getPrivate());
            writePem(crt, cert, false);
            writePem(key, new JcaPKCS8Generator(kp.getPrivate(), null).generate(), true);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create the CA: " + e.getMessage(), e);
        }
    }

    /** Issues {@code dir/NODE.crt} and {@code dir/NODE.key} with the CA in {@code dir}. */
    public static TlsSettings issue(Path dir, String node, Duration validity) throws IOException {
        ServiceDefinition.requireName("node name", node);
        X509Certificate caCert;
        PrivateKey caKey;
        try (Reader r = Files.newBufferedReader(dir.resolve("ca.crt")); PEMParser p = new PEMParser(r)) {
            caCert = new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) p.readObject());
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("ca.crt is not a PEM certificate", e);
        }
        try (Reader r = Files.newBufferedReader(dir.resolve("ca.key")); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            caKey = o instanceof PEMKeyPair kp ? conv.getKeyPair(kp).getPrivate()
                    : conv.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) o);
        } catch (ClassCastException e) {
            throw new IOException("ca.key is not a PEM private key", e);
        }
        try {
            KeyPair kp = rsa();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCert, serial(),
                    Date.from(now.minusSeconds(3600)), Date.from(now.plus(validity)),
                    new X500Name("CN=" + CLUSTER_NAME + ",OU=" + node), kp.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            List<GeneralName> sans = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, CLUSTER_NAME),
                    new GeneralName(GeneralName.dNSName, node), new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate cert = sign(b, caKey);
            Path crt = dir.resolve(node + ".crt");
            Path key = dir.resolve(node + ".key");
            writePem(crt, cert, false);
            writePem(key, new JcaPKCS8Generator(kp.getPrivate(), null).generate(), true);
            return new TlsSettings(crt, key, dir.resolve("ca.crt"));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot issue a certificate for " + node + ": " + e.getMessage(), e);
        }
    }

    /** A CA (unless present) and one certificate per node. */
    public static Map<String, TlsSettings> generate(Path dir, List<String> nodes, Duration validity) throws IOException {
        ensureCa(dir, validity);
        Map<String, TlsSettings> out = new LinkedHashMap<>();
        for (String n : nodes) {
            out.put(n, issue(dir, n, validity));
        }
        return out;
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, Randomness.secureRandom());
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(1, Randomness.bytes(16));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
    }

    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
        }
        try (Writer w = Files.newBufferedWriter(tmp); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
