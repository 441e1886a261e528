package org.aivillage.betanet.utls.internal;

import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Server identity check (RFC 6125 / RFC 9110 §4.3.4): a DNS name must match a dNSName
 * subjectAltName, where a wildcard may stand for exactly the whole left-most label; an IP literal
 * must equal an iPAddress subjectAltName. The subject CN is not consulted (as browsers do).
 */
public final class HostnameMatcher {
    private HostnameMatcher() {}

    public static boolean matches(String host, X509Certificate cert) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null || host == null || host.isEmpty()) {
            return false;
        }
        boolean ip = HelloBuilder.isIpLiteral(host);
        InetAddress addr = ip ? InetAddress.ofLiteral(host) : null;
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == 7) {
                try {
                    if (InetAddress.ofLiteral(value).equals(addr)) {
                        return true;
                    }
                } catch (IllegalArgumentException e) {
                    // an unparsable SAN never matches
                }
            } else if (!ip && type == 2 && dnsMatch(name, value.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    static boolean dnsMatch(String host, String pattern) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (!pattern.startsWith("*.")) {
            return host.equals(pattern);
        }
        String suffix = pattern.substring(1); // ".example.com"
        if (suffix.indexOf('*') >= 0 || suffix.chars().filter(c -> c == '.').count() < 2) {
            return false; // wildcards only over a registrable-looking name with at least two labels
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        String label = host.substring(0, host.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }
}
