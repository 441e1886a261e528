package org.aivillage.config.internal;

import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;
import org.aivillage.config.Format;

/**
 * Syntax checks for {@link Format.Kind}. Pure functions: no name resolution ever happens, IP
 * literals are parsed with {@link InetAddress#ofLiteral}. Each check returns empty when the text
 * is fine, else a short detail for the error message (may be the empty string).
 */
public final class Formats {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

    private Formats() {}

    /** What a value of this format looks like, for "expected ..." messages. */
    public static String expected(Format.Kind kind) {
        return switch (kind) {
            case HOST -> "a host name or IP address";
            case ENDPOINT -> "host:port (IPv6 as [addr]:port, port 1..65535)";
            case CIDR -> "a CIDR block or address like 10.0.0.0/8 or fd00::/8";
        };
    }

    public static Optional<String> check(Format.Kind kind, String text) {
        return switch (kind) {
            case HOST -> isHost(text) ? Optional.empty() : Optional.of("");
            case ENDPOINT -> checkEndpoint(text);
            case CIDR -> checkCidr(text);
        };
    }

    /** An IPv4/IPv6 literal, or null when the text is not one. */
    static InetAddress ipLiteral(String text) {
        if (text.length() > 64) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (v4) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        } else if (text.indexOf(':') < 0 || text.indexOf('%') >= 0 || text.indexOf('[') >= 0) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean isHost(String text) {
        if (ipLiteral(text) != null) {
            return true;
        }
        if (text.isEmpty() || text.length() > 253) {
            return false;
        }
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        String[] labels = name.split("\\.", -1);
        boolean allNumeric = true;
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
            allNumeric &= label.chars().allMatch(Character::isDigit);
        }
        return !allNumeric; // "300.1.1.1" is a broken address, not a host name
    }

    private static Optional<String> checkEndpoint(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                return Optional.of("");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            InetAddress a = ipLiteral(host);
            if (a == null || host.indexOf(':') < 0) {
                return Optional.of("not an IPv6 address in brackets");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                return Optional.of("missing :port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                return Optional.of("write IPv6 addresses in brackets");
            }
            if (!isHost(host)) {
                return Optional.of("bad host");
            }
        }
        if (!DIGITS.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return Optional.of("bad port");
        }
        return Optional.empty();
    }

    private static Optional<String> checkCidr(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = ipLiteral(addressText);
        if (address == null) {
            return Optional.of("");
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        if (slash < 0) {
            return Optional.empty();
        }
        String prefixText = text.substring(slash + 1);
        if (!prefixText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefixText) > bits) {
            return Optional.of("prefix length must be 0.." + bits);
        }
        int prefix = Integer.parseInt(prefixText);
        boolean hostBitsSet = false;
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            int mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
            if ((bytes[i] & ~mask & 0xff) != 0) {
                hostBitsSet = true;
                bytes[i] = (byte) (bytes[i] & mask);
            }
        }
        if (hostBitsSet) {
            try {
                String network = InetAddress.getByAddress(bytes).getHostAddress();
                return Optional.of("host bits are set; did you mean " + network + "/" + prefix + "?");
            } catch (java.net.UnknownHostException e) {
                return Optional.of("host bits are set");
            }
        }
        return Optional.empty();
    }
}
