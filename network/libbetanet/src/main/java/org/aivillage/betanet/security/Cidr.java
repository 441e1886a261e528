package org.aivillage.betanet.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation, e.g. {@code 10.0.0.0/8} or {@code 2001:db8::/32}. */
public record Cidr(byte[] network, int prefixLength) {
    public Cidr {
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("network address must be 4 or 16 bytes");
        }
        if (prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
        network = mask(network, prefixLength);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /**
     * Parses {@code address/prefix} or a bare address (a /32 or /128). Only numeric addresses are
     * accepted (no DNS lookups).
     *
     * @throws IllegalArgumentException with a message naming the problem
     */
    public static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = parseNumeric(addr);
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            try {
                prefix = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': prefix length '" + p + "' is not a number");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "': prefix length must be 0.." + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix);
    }

    private static byte[] parseNumeric(String addr) {
        boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + addr + "' is not a numeric IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + addr + "' is not a valid IP address");
        }
    }

    /** True when {@code address} lies in this network (IPv4-mapped IPv6 addresses match IPv4 networks). */
    public boolean contains(InetAddress address) {
        byte[] a = normalize(address);
        if (a.length != network.length) {
            return false;
        }
        return java.util.Arrays.equals(mask(a, prefixLength), network);
    }

    /** The address with everything after the first {@code bits} bits cleared. */
    public static byte[] mask(byte[] address, int bits) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    /** The raw address, with IPv4-mapped IPv6 (::ffff:a.b.c.d) turned into its 4 IPv4 bytes. */
    public static byte[] normalize(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= a[i] == 0;
            }
            mapped &= a[10] == (byte) 0xff && a[11] == (byte) 0xff;
            if (mapped) {
                return java.util.Arrays.copyOfRange(a, 12, 16);
            }
        }
        return a;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefixLength == c.prefixLength && java.util.Arrays.equals(network, c.network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }
}
