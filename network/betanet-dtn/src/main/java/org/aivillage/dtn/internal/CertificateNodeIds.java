package org.aivillage.dtn.internal;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.aivillage.dtn.EndpointId;

/**
 * RFC 9174 §4.4.3 Node ID authentication: the Node IDs a TLS peer's end-entity certificate names
 * (subjectAltName entries of type uniformResourceIdentifier that parse as {@code dtn:} or
 * {@code ipn:} Node IDs, RFC 9174 §4.4.1 "NODE-ID") must include the Node ID the peer sent in
 * SESS_INIT. RFC 9891's otherName form (BundleEID) is not read.
 */
public final class CertificateNodeIds {
    private static final int SAN_URI = 6;

    private CertificateNodeIds() {}

    /**
     * The Node IDs a certificate names (empty when it names none).
     *
     * @throws CertificateParsingException when the subjectAltName extension cannot be read (e.g. a
     *         URI entry that is not a URI): such a certificate names nothing that can be trusted
     */
    public static List<EndpointId> of(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        List<EndpointId> ids = new ArrayList<>();
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && san.get(0) instanceof Integer type && type == SAN_URI && san.get(1) instanceof String uri) {
                    try {
                        ids.add(EndpointId.parse(uri).node());
                    } catch (IllegalArgumentException notANodeId) {
                        // another URI (e.g. https:), not a NODE-ID
                    }
                }
            }
        }
        return ids;
    }

    /**
     * Null when the session's peer may use {@code claimed} as its Node ID, else why not.
     *
     * @param required also refuse a peer without a certificate or whose certificate names no Node ID
     */
    static String check(SSLSession session, EndpointId claimed, boolean required) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return required ? "presented no TLS certificate, and this node requires one naming its Node ID" : null;
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return required ? "presented no X.509 certificate, and this node requires one naming its Node ID" : null;
        }
        List<EndpointId> named;
        try {
            named = of(cert);
        } catch (CertificateParsingException e) {
            return "its TLS certificate has a subjectAltName extension that cannot be read";
        }
        if (named.isEmpty()) {
            return required ? "its TLS certificate names no Node ID (subjectAltName URI), and this node requires one" : null;
        }
        EndpointId node = claimed.node();
        if (named.contains(node)) {
            return null;
        }
        return "claims Node ID " + node + " but its TLS certificate names " + named;
    }
}
