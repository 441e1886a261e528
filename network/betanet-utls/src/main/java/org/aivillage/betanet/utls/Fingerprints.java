package org.aivillage.betanet.utls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.utls.internal.TlsCodes;

/**
 * TLS fingerprints computed from raw hello bytes: JA3 (Salesforce), JA4 and JA4S (FoxIO's
 * definitions, technical_details/JA4.md and JA4S.md). GREASE is ignored everywhere.
 */
public final class Fingerprints {
    private Fingerprints() {}

    /** JA3: the comma-separated text and its MD5. */
    public record Ja3(String text, String hash) {}

    /**
     * JA4 in its four forms.
     *
     * @param ja4 sorted and hashed, e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}
     * @param ja4r sorted, unhashed
     * @param ja4o original order, hashed
     * @param ja4ro original order, unhashed
     */
    public record Ja4(String ja4, String ja4r, String ja4o, String ja4ro) {
        @Override
        public String toString() {
            return ja4;
        }
    }

    /** JA4S and its raw form. */
    public record Ja4s(String ja4s, String ja4sr) {
        @Override
        public String toString() {
            return ja4s;
        }
    }

    /** JA3 of a ClientHello given as records or as a handshake message. */
    public static Ja3 ja3(byte[] clientHello) throws TlsDecodeException {
        return ja3(ClientHelloInfo.parse(clientHello));
    }

    public static Ja3 ja3(ClientHelloInfo ch) {
        String text = ch.legacyVersion() + ","
                + join(ch.cipherSuites(), "-") + ","
                + join(ch.extensionTypes(), "-") + ","
                + join(ch.supportedGroups(), "-") + ","
                + join(ch.ecPointFormats(), "-");
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.US_ASCII));
            return new Ja3(text, HexFormat.of().formatHex(md5));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides MD5", e);
        }
    }

    private static String join(List<Integer> values, String sep) {
        return values.stream().filter(v -> !Grease.is(v)).map(String::valueOf).collect(Collectors.joining(sep));
    }

    /** JA4 of a ClientHello given as records or as a handshake message (TLS over TCP). */
    public static Ja4 ja4(byte[] clientHello) throws TlsDecodeException {
        return ja4(ClientHelloInfo.parse(clientHello));
    }

    public static Ja4 ja4(ClientHelloInfo ch) {
        List<Integer> ciphers = ch.cipherSuites().stream().filter(v -> !Grease.is(v)).toList();
        List<Integer> exts = ch.extensionTypes().stream().filter(v -> !Grease.is(v)).toList();
        List<Integer> sigs = ch.signatureAlgorithms().stream().filter(v -> !Grease.is(v)).toList();
        int version = ch.supportedVersions().stream().filter(v -> !Grease.is(v)).mapToInt(Integer::intValue).max()
                .orElse(ch.legacyVersion());
        String a = "t" + versionCode(version)
                + (ch.extension(TlsCodes.EXT_SERVER_NAME).isPresent() ? "d" : "i")
                + twoDigits(ciphers.size()) + twoDigits(exts.size())
                + alpnCode(ch.alpnProtocols().isEmpty() ? "" : ch.alpnProtocols().getFirst());
        String sortedCiphers = hexList(ciphers.stream().sorted().toList());
        String origCiphers = hexList(ciphers);
        String sortedExts = hexList(exts.stream().filter(e -> e != TlsCodes.EXT_SERVER_NAME && e != TlsCodes.EXT_ALPN)
                .sorted().toList());
        String origExts = hexList(exts);
        String sigList = hexList(sigs);
        String cRaw = sigs.isEmpty() ? sortedExts : sortedExts + "_" + sigList;
        String coRaw = sigs.isEmpty() ? origExts : origExts + "_" + sigList;
        String b = ciphers.isEmpty() ? "000000000000" : hash12(sortedCiphers);
        String bo = ciphers.isEmpty() ? "000000000000" : hash12(origCiphers);
        String c = sortedExts.isEmpty() ? "000000000000" : hash12(cRaw);
        String co = origExts.isEmpty() ? "000000000000" : hash12(coRaw);
        return new Ja4(a + "_" + b + "_" + c, a + "_" + sortedCiphers + "_" + cRaw, a + "_" + bo + "_" + co,
                a + "_" + origCiphers + "_" + coRaw);
    }

    /** JA4S of a ServerHello given as records or as a handshake message. */
    public static Ja4s ja4s(byte[] serverHello) throws TlsDecodeException {
        return ja4s(ServerHelloInfo.parse(serverHello));
    }

    public static Ja4s ja4s(ServerHelloInfo sh) {
        List<Integer> exts = sh.extensionTypes();
        String a = "t" + versionCode(sh.selectedVersion()) + twoDigits(exts.size())
                + alpnCode(sh.alpnProtocol().orElse(""));
        String cipher = String.format("%04x", sh.cipherSuite());
        String list = hexList(exts);
        String hash = exts.isEmpty() ? "000000000000" : hash12(list);
        return new Ja4s(a + "_" + cipher + "_" + hash, a + "_" + cipher + "_" + list);
    }

    static String versionCode(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    private static String twoDigits(int n) {
        return String.format("%02d", Math.min(n, 99));
    }

    /** First and last characters of the first ALPN value, per the JA4 rules for non-alphanumerics. */
    static String alpnCode(String alpn) {
        if (alpn.isEmpty()) {
            return "00";
        }
        char first = alpn.charAt(0);
        char last = alpn.charAt(alpn.length() - 1);
        if (isAlnum(first) && isAlnum(last)) {
            return "" + first + last;
        }
        String hex = HexFormat.of().formatHex(alpn.getBytes(StandardCharsets.ISO_8859_1));
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String hexList(List<Integer> values) {
        List<String> out = new ArrayList<>(values.size());
        for (int v : values) {
            out.add(String.format("%04x", v));
        }
        return String.join(",", out);
    }

    private static String hash12(String s) {
        return HexFormat.of().formatHex(Hashes.sha256(s.getBytes(StandardCharsets.US_ASCII))).substring(0, 12);
    }
}
