package org.aivillage.betanet.utls.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.aivillage.betanet.utls.UtlsHandshakeException;

/** Server authentication: PKIX through the JDK trust manager, host name, and CertificateVerify. */
public final class CertificateChecks {
    private CertificateChecks() {}

    public static X509Certificate[] parseChain(List<byte[]> ders) throws UtlsHandshakeException {
        if (ders.isEmpty()) {
            throw new UtlsHandshakeException("server sent an empty certificate chain", Alerts.DECODE_ERROR);
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate[] chain = new X509Certificate[ders.size()];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(ders.get(i)));
            }
            return chain;
        } catch (CertificateException e) {
            throw new UtlsHandshakeException("server certificate is not valid X.509", Alerts.BAD_CERTIFICATE, e);
        }
    }

    /** PKIX validation (authType "UNKNOWN": digitalSignature key usage, as the JDK's TLS 1.3 client) and host name. */
    public static void verifyChain(X509TrustManager trust, X509Certificate[] chain, String host)
            throws UtlsHandshakeException {
        try {
            trust.checkServerTrusted(chain.clone(), "UNKNOWN");
        } catch (CertificateException e) {
            int alert = e.getCause() instanceof CertificateExpiredException
                    || e.getCause() instanceof CertificateNotYetValidException ? Alerts.CERTIFICATE_EXPIRED : Alerts.BAD_CERTIFICATE;
            throw new UtlsHandshakeException("server certificate rejected by the trust manager: " + e.getMessage(), alert, e);
        } catch (RuntimeException e) {
            throw new UtlsHandshakeException("trust manager failed: " + e.getMessage(), Alerts.INTERNAL_ERROR, e);
        }
        if (!HostnameMatcher.matches(host, chain[0])) {
            throw new UtlsHandshakeException("server certificate does not match host name '" + host + "'",
                    Alerts.BAD_CERTIFICATE);
        }
    }

    /** TLS 1.3 signature schemes this client can verify. */
    public static boolean verifiable(int scheme) {
        return switch (scheme) {
            case 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0807, 0x0808 -> true;
            default -> false;
        };
    }

    /** Verifies the server CertificateVerify over {@code transcriptHash} (hash up to and including Certificate). */
    public static void verifySignature(int scheme, byte[] signature, PublicKey key, byte[] transcriptHash)
            throws UtlsHandshakeException {
        byte[] prefix = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);
        ByteWriter content = new ByteWriter(64 + prefix.length + 1 + transcriptHash.length);
        for (int i = 0; i < 64; i++) {
            content.u8(0x20);
        }
        content.bytes(prefix).u8(0).bytes(transcriptHash);
        boolean ok;
        try {
            Signature s = switch (scheme) {
                case 0x0403 -> ec(key, "SHA256withECDSA", 256);
                case 0x0503 -> ec(key, "SHA384withECDSA", 384);
                case 0x0603 -> ec(key, "SHA512withECDSA", 521);
                case 0x0804, 0x0809 -> pss(key, "SHA-256", 32, scheme == 0x0809);
                case 0x0805, 0x080a -> pss(key, "SHA-384", 48, scheme == 0x080a);
                case 0x0806, 0x080b -> pss(key, "SHA-512", 64, scheme == 0x080b);
                case 0x0807 -> keyed(key, "Ed25519", "Ed25519", "EdDSA");
                case 0x0808 -> keyed(key, "Ed448", "Ed448", "EdDSA");
                default -> throw new UtlsHandshakeException(String.format(
                        "server used signature scheme 0x%04x, not allowed in TLS 1.3 CertificateVerify", scheme),
                        Alerts.ILLEGAL_PARAMETER);
            };
            s.initVerify(key);
            s.update(content.toByteArray());
            ok = s.verify(signature);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new UtlsHandshakeException("server CertificateVerify signature does not verify", Alerts.DECRYPT_ERROR);
        }
    }

    private static Signature ec(PublicKey key, String alg, int bits) throws GeneralSecurityException,
            UtlsHandshakeException {
        if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != bits) {
            throw new UtlsHandshakeException("signature scheme does not match the certificate's EC key",
                    Alerts.ILLEGAL_PARAMETER);
        }
        return Signature.getInstance(alg);
    }

    private static Signature pss(PublicKey key, String hash, int salt, boolean pssKey)
            throws GeneralSecurityException, UtlsHandshakeException {
        String alg = key.getAlgorithm();
        boolean isPss = alg.equals("RSASSA-PSS");
        if (!(alg.equals("RSA") || isPss) || isPss != pssKey) {
            throw new UtlsHandshakeException("signature scheme does not match the certificate's RSA key type",
                    Alerts.ILLEGAL_PARAMETER);
        }
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1));
        return s;
    }

    private static Signature keyed(PublicKey key, String alg, String... keyAlgs) throws GeneralSecurityException,
            UtlsHandshakeException {
        if (!List.of(keyAlgs).contains(key.getAlgorithm())) {
            throw new UtlsHandshakeException("signature scheme " + alg + " does not match the certificate key",
                    Alerts.ILLEGAL_PARAMETER);
        }
        return Signature.getInstance(alg);
    }
}
