package org.aivillage.betanet.utls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aivillage.betanet.utls.support.Hellos;
import org.junit.jupiter.api.Test;

/**
 * JA4/JA4S against the worked examples FoxIO publishes in technical_details/JA4.md and JA4S.md
 * (FoxIO-LLC/ja4): the hello is rebuilt from the published original-order lists (plus GREASE,
 * which must be ignored) and must compute to the published fingerprints.
 */
class FingerprintsTest {
    static final List<Integer> CIPHERS_ORIGINAL = hex("1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035");
    static final List<Integer> EXTS_ORIGINAL = hex("001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015");
    static final List<Integer> SIGALGS = hex("0403,0804,0401,0503,0805,0501,0806,0601");

    static List<Integer> hex(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s, 16));
        }
        return out;
    }

    static byte[] foxioChromeHello(boolean withSigalgs) {
        List<Integer> ciphers = new ArrayList<>(CIPHERS_ORIGINAL);
        ciphers.addFirst(0x3a3a); // GREASE must not count
        List<TlsExtension> exts = new ArrayList<>();
        exts.add(Hellos.empty(0xdada)); // GREASE extension
        for (int type : EXTS_ORIGINAL) {
            exts.add(switch (type) {
                case 0x0000 -> Hellos.sni("example.com");
                case 0x0010 -> Hellos.alpn("h2".getBytes(StandardCharsets.US_ASCII), "http/1.1".getBytes(StandardCharsets.US_ASCII));
                case 0x000d -> Hellos.u16List(0x000d, 2, withSigalgs ? SIGALGS : List.of());
                case 0x002b -> Hellos.u16List(0x002b, 1, List.of(0x2a2a, 0x0304, 0x0303));
                case 0x000a -> Hellos.u16List(0x000a, 2, List.of(0x4a4a, 0x001d, 0x0017));
                case 0x001b -> Hellos.u16List(0x001b, 1, List.of(0x0002));
                case 0x000b -> new TlsExtension(0x000b, new byte[] {1, 0});
                case 0x0033 -> new TlsExtension(0x0033, HexFormat.of().parseHex("0024001d0020" + "00".repeat(32)));
                default -> Hellos.empty(type);
            });
        }
        exts.add(Hellos.empty(0x1a1a));
        return Hellos.clientHello(0x0303, ciphers, exts);
    }

    @Test
    void foxioPublishedJa4Example() throws Exception {
        Fingerprints.Ja4 ja4 = Fingerprints.ja4(foxioChromeHello(true));
        assertThat(ja4.ja4()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(ja4.ja4r()).isEqualTo("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,"
                + "cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,"
                + "0805,0501,0806,0601");
        assertThat(ja4.ja4o()).isEqualTo("t13d1516h2_acb858a92679_18f69afefd3d");
        assertThat(ja4.ja4ro()).isEqualTo("t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,"
                + "002f,0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015_0403,0804,"
                + "0401,0503,0805,0501,0806,0601");
    }

    @Test
    void foxioPublishedNoSignatureAlgorithmsExample() throws Exception {
        assertThat(Fingerprints.ja4(foxioChromeHello(false)).ja4()).endsWith("_6d807ffa2a79");
    }

    @Test
    void foxioPublishedJa4sExample() throws Exception {
        byte[] sh = Hellos.serverHello(0xc030, List.of(Hellos.empty(0x0005), Hellos.empty(0x0017),
                new TlsExtension(0xff01, new byte[1]), Hellos.empty(0x0000)));
        Fingerprints.Ja4s ja4s = Fingerprints.ja4s(sh);
        assertThat(ja4s.ja4s()).isEqualTo("t120400_c030_4e8089b08790");
        assertThat(ja4s.ja4sr()).isEqualTo("t120400_c030_0005,0017,ff01,0000");
    }

    @Test
    void foxioAlpnRulesForNonAlphanumericValues() {
        HexFormat h = HexFormat.of();
        assertThat(Fingerprints.alpnCode(latin1(h.parseHex("ab")))).isEqualTo("ab");
        assertThat(Fingerprints.alpnCode(latin1(h.parseHex("abcd")))).isEqualTo("ad");
        assertThat(Fingerprints.alpnCode(latin1(h.parseHex("30ab")))).isEqualTo("3b");
        assertThat(Fingerprints.alpnCode(latin1(h.parseHex("3031abcd")))).isEqualTo("3d");
        assertThat(Fingerprints.alpnCode(latin1(h.parseHex("30abcd31")))).isEqualTo("01");
        assertThat(Fingerprints.alpnCode("http/1.1")).isEqualTo("h1");
        assertThat(Fingerprints.alpnCode("h")).isEqualTo("hh");
        assertThat(Fingerprints.alpnCode("")).isEqualTo("00");
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void noSniNoAlpnNoCiphersEdgeCases() throws Exception {
        byte[] hello = Hellos.clientHello(0x0303, List.of(0x0a0a), List.of());
        Fingerprints.Ja4 ja4 = Fingerprints.ja4(hello);
        assertThat(ja4.ja4()).isEqualTo("t12i000000_000000000000_000000000000");
    }

    @Test
    void ja3IgnoresGreaseAndKeepsOrder() throws Exception {
        Fingerprints.Ja3 ja3 = Fingerprints.ja3(foxioChromeHello(true));
        assertThat(ja3.text()).isEqualTo("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
                + "27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23,0");
        assertThat(ja3.hash()).hasSize(32);
    }

    @Test
    void recordsAndHandshakeFormsFingerprintAlike() throws Exception {
        byte[] hs = foxioChromeHello(true);
        byte[] rec = org.aivillage.betanet.utls.internal.HelloBuilder.records(0x0301, hs);
        assertThat(Fingerprints.ja4(rec)).isEqualTo(Fingerprints.ja4(hs));
    }
}
