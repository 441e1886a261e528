package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 9173 Appendix A: the BPSec default security context examples, byte for byte. */
class BpsecVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HMAC_KEY = HEX.parseHex("1a2b1a2b1a2b1a2b1a2b1a2b1a2b1a2b");
    private static final byte[] KEK = "abcdefghijklmnop".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CEK128 = "qwertyuiopasdfgh".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CEK256 = "qwertyuiopasdfghqwertyuiopasdfgh".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IV = "Twelve121212".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "Ready to generate a 32-byte payload".getBytes(StandardCharsets.US_ASCII);
    private static final EndpointId IPN21 = EndpointId.ipn(2, 1);
    private static final EndpointId IPN30 = EndpointId.ipn(3, 0);

    static final String PRIMARY = "88070000820282010282028202018202820201820018281a000f4240";
    static final String ORIGINAL = "9f" + PRIMARY
            + "85010100005823526561647920746f2067656e657261746520612033322d62797465207061796c6f6164ff";
    static final String A1 = "9f" + PRIMARY + "850b0200005856810101018202820201828201078203008181820158403bdc69b3a34a2b5d3a"
            + "8554368bd1e808f606219d2a10a846eae3886ae4ecc83c4ee550fdfb1cc636b904e2"
            + "f1a73e303dcd4b6ccece003e95e8164dcc89a156e185010100005823526561647920"
            + "746f2067656e657261746520612033322d62797465207061796c6f6164ff";
    static final String A2 = "9f" + PRIMARY + "850c0201"
            + "0058508101020182028202018482014c5477656c7665313231323132820201820358"
            + "1869c411276fecddc4780df42c8a2af89296fabf34d7fae7008204008181820150ef"
            + "a4b5ac0108e3816c5606479801bc04850101000058233a09c1e63fe23a7f66a59c73"
            + "03837241e070b02619fc59c5214a22f08cd70795e73e9aff";
    static final String A3 = "9f" + PRIMARY + "850b0300"
            + "00585c8200020101820282030082820105820300828182015820cac6ce8e4c5dae57"
            + "988b757e49a6dd1431dc04763541b2845098265bc817241b81820158203ed614c0d9"
            + "7f49b3633627779aa18a338d212bf3c92b97759d9739cd50725596850c0401005834"
            + "8101020182028202018382014c5477656c7665313231323132820201820400818182"
            + "0150efa4b5ac0108e3816c5606479801bc0485070200004319012c85010100005823"
            + "3a09c1e63fe23a7f66a59c7303837241e070b02619fc59c5214a22f08cd70795e73e9aff";
    /** Appendix A.4 (full scope, BCB over payload and BIB) with a bundle age block added as block 4. */
    static final String A4_WITH_AGE = "9f" + PRIMARY + "850b0300"
            + "005846438ed6208eb1c1ffb94d952175167df0902902064a2983910c4fb2340790bf"
            + "420a7d1921d5bf7c4721e02ab87a93ab1e0b75cf62e4948727c8b5dae46ed2af0543"
            + "9b88029191850c0201005849820301020182028202018382014c5477656c76653132"
            + "313231328202038204078281820150220ffc45c8a901999ecc60991dd78b29818201"
            + "50d2c51cb2481792dae8b21d848cede99b850704000041018501010000582390eab6"
            + "457593379298a8724e16e61f837488e127212b59ac91f8a86287b7d07630a122ff";

    private static Bundle decode(String hex) throws Exception {
        return BundleCodec.decode(HEX.parseHex(hex));
    }

    private static Bpsec.KeyResolver keys(Map<EndpointId, byte[]> bib, Map<EndpointId, byte[]> bcb) {
        return (src, ctx) -> Optional.ofNullable(
                (ctx == Bpsec.CONTEXT_BIB_HMAC_SHA2 ? bib : bcb).get(src));
    }

    @Test
    void primaryBlockEncodingMatchesTheRfc() throws Exception {
        Bundle b = decode(ORIGINAL);
        assertThat(HEX.formatHex(BundleCodec.encodePrimary(b.primary()))).isEqualTo(PRIMARY);
        assertThat(b.primary().destination()).isEqualTo(EndpointId.ipn(1, 2));
        assertThat(b.primary().creationTimestamp()).isEqualTo(new CreationTimestamp(0, 40));
        assertThat(b.payload()).isEqualTo(PAYLOAD);
        assertThat(HEX.formatHex(BundleCodec.encode(b))).isEqualTo(ORIGINAL);
    }

    @Test
    void a1IntegrityOnPayloadWithHmac512() throws Exception {
        Bundle signed = Bpsec.addIntegrity(decode(ORIGINAL), List.of(1L), IPN21, Bpsec.ShaVariant.HMAC_512, 0,
                HMAC_KEY, null, 2, 0);
        assertThat(HEX.formatHex(BundleCodec.encode(signed))).isEqualTo(A1);
        Bpsec.KeyResolver k = keys(Map.of(IPN21, HMAC_KEY), Map.of());
        assertThat(Bpsec.verifyIntegrity(decode(A1), k)).isEqualTo(1);

        Bundle tampered = signed.withBlock(signed.payloadBlock().withData("Ready to generate a 32-byte paylOad"
                .getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> Bpsec.verifyIntegrity(tampered, k)).isInstanceOf(BpsecException.class)
                .hasMessageContaining("HMAC mismatch");
        assertThatThrownBy(() -> Bpsec.verifyIntegrity(signed, keys(Map.of(), Map.of())))
                .isInstanceOf(BpsecException.class).hasMessageContaining("no key");
    }

    @Test
    void a2ConfidentialityOnPayloadWithWrappedA128Key() throws Exception {
        Bundle enc = Bpsec.addConfidentiality(decode(ORIGINAL), List.of(1L), IPN21, Bpsec.AesVariant.A128GCM, 0,
                CEK128, KEK, IV, 2);
        assertThat(HEX.formatHex(BundleCodec.encode(enc))).isEqualTo(A2);
        Bundle plain = Bpsec.decrypt(decode(A2), keys(Map.of(), Map.of(IPN21, KEK)));
        assertThat(plain.payload()).isEqualTo(PAYLOAD);
        assertThat(HEX.formatHex(BundleCodec.encode(plain))).isEqualTo(ORIGINAL);
        assertThatThrownBy(() -> Bpsec.decrypt(decode(A2), keys(Map.of(), Map.of(IPN21, CEK128))))
                .isInstanceOf(BpsecException.class).hasMessageContaining("unwrap");
    }

    @Test
    void a3SecurityBlocksFromMultipleSources() throws Exception {
        Bundle original = decode("9f" + PRIMARY + "85070200004319012c"
                + "85010100005823526561647920746f2067656e657261746520612033322d62797465207061796c6f6164ff");
        Bundle signed = Bpsec.addIntegrity(original, List.of(0L, 2L), IPN30, Bpsec.ShaVariant.HMAC_256, 0, HMAC_KEY,
                null, 3, 0);
        Bundle both = Bpsec.addConfidentiality(signed, List.of(1L), IPN21, Bpsec.AesVariant.A128GCM, 0, CEK128, null,
                IV, 4);
        assertThat(HEX.formatHex(BundleCodec.encode(both))).isEqualTo(A3);

        Bpsec.KeyResolver k = keys(Map.of(IPN30, HMAC_KEY), Map.of(IPN21, CEK128));
        Bundle received = decode(A3);
        assertThat(Bpsec.verifyIntegrity(received, k)).isEqualTo(2);
        Bundle plain = Bpsec.decrypt(received, k);
        assertThat(plain.payload()).isEqualTo(PAYLOAD);
        assertThat(plain.bundleAgeMillis()).hasValue(300);
    }

    @Test
    void a4FullScopeBcbOverPayloadAndBib() throws Exception {
        Bpsec.KeyResolver k = keys(Map.of(IPN21, HMAC_KEY), Map.of(IPN21, CEK256));
        Bundle received = decode(A4_WITH_AGE);
        Bundle plain = Bpsec.decrypt(received, k);
        assertThat(plain.payload()).isEqualTo(PAYLOAD);
        assertThat(Bpsec.verifyIntegrity(plain, k)).isEqualTo(1);

        // Re-create it: BIB (full scope, HMAC-384) then BCB (A256GCM, full AAD scope) over payload and BIB.
        Bundle original = decode("9f" + PRIMARY + "8507040000410185010100005823526561647920746f2067656e657261"
                + "746520612033322d62797465207061796c6f6164ff");
        Bundle signed = Bpsec.addIntegrity(original, List.of(1L), IPN21, Bpsec.ShaVariant.HMAC_384, 7, HMAC_KEY, null,
                3, 0);
        Bundle enc = Bpsec.addConfidentiality(signed, List.of(3L, 1L), IPN21, Bpsec.AesVariant.A256GCM, 7, CEK256,
                null, IV, 2);
        assertThat(HEX.formatHex(BundleCodec.encode(enc))).isEqualTo(A4_WITH_AGE);
    }
}
