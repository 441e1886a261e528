package org.aivillage.betanet.htx;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.aivillage.betanet.htx.internal.PemFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway CA and a leaf for "localhost"/127.0.0.1, generated with bcpkix for each test run. */
public final class TestPki {
    public final X509Certificate ca;
    public final X509Certificate leaf;
    public final KeyPair leafKey;

    private TestPki(X509Certificate ca, X509Certificate leaf, KeyPair leafKey) {
        this.ca = ca;
        this.leaf = leaf;
        this.leafKey = leafKey;
    }

    public static TestPki create() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKey = g.generateKeyPair();
            KeyPair leafKey = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=AIVillage Test CA");
            X509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), caName, caKey.getPublic());
            cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            cb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = new JcaX509CertificateConverter().getCertificate(
                    cb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
            X509v3CertificateBuilder lb = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=localhost"), leafKey.getPublic());
            lb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            lb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress())}));
            X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                    lb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
            return new TestPki(ca, leaf, leafKey);
        } catch (Exception e) {
            throw new IllegalStateException("test PKI generation failed", e);
        }
    }

    public SSLContext serverContext() throws IOException {
        return PemFiles.serverContext(List.of(leaf, ca), leafKey.getPrivate());
    }

    public TlsIdentity identity() throws IOException {
        return new TlsIdentity.Context(serverContext());
    }

    public JdkTlsConnector connector() {
        return JdkTlsConnector.trusting(ca);
    }

    /** Writes chain.pem (leaf, CA), key.pem (PKCS#8) and ca.pem into {@code dir}. */
    public void writePem(Path dir) throws IOException {
        Files.writeString(dir.resolve("chain.pem"), pem(leaf) + pem(ca));
        Files.writeString(dir.resolve("key.pem"), pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(leafKey.getPrivate(), null).generate()));
        Files.writeString(dir.resolve("ca.pem"), pem(ca));
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }
}
