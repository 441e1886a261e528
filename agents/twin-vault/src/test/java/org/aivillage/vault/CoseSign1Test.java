package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;

class CoseSign1Test {
    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode vector() throws Exception {
        try (InputStream in = CoseSign1Test.class.getResourceAsStream("/cose-wg/eddsa-sig-01.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void verifiesTheCoseWgEd25519Sign1Example() throws Exception {
        JsonNode v = vector();
        byte[] message = HEX.parseHex(v.get("cbor").asText().toLowerCase());
        CoseSign1 msg = CoseSign1.decode(message);
        assertThat(msg.payload()).isEqualTo(v.get("plaintext").asText().getBytes(StandardCharsets.UTF_8));
        assertThat(msg.kid()).isEqualTo(v.get("kid").asText().getBytes(StandardCharsets.US_ASCII));
        assertThat(msg.verify(HEX.parseHex(v.get("x_hex").asText()))).isTrue();
        assertThat(msg.encode()).isEqualTo(message);
    }

    @Test
    void reproducesTheCoseWgSignatureByteForByte() throws Exception {
        // Ed25519 is deterministic: signing the same Sig_structure with the published key must
        // give the published signature, which pins our Sig_structure encoding to RFC 9052.
        JsonNode v = vector();
        byte[] message = HEX.parseHex(v.get("cbor").asText().toLowerCase());
        CoseSign1 published = CoseSign1.decode(message);
        CoseSign1 ours = CoseSign1.sign(HEX.parseHex(v.get("d_hex").asText()), published.protectedHeader(),
                published.unprotectedHeader(), v.get("plaintext").asText().getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertThat(ours.signature()).isEqualTo(published.signature());
        assertThat(ours.encode()).isEqualTo(message);
    }

    @Test
    void vaultMessagesUseProtectedHeaderAlgEdDsaOnly() throws Exception {
        KeyPair kp = Ed25519.generateKeyPair();
        CoseSign1 m = CoseSign1.sign(kp.privateKey(), kp.publicKey(), new byte[] {1, 2, 3});
        assertThat(m.protectedHeader()).isEqualTo(HEX.parseHex("a10127"));
        CoseSign1 back = CoseSign1.decode(m.encode());
        assertThat(back).isEqualTo(m);
        assertThat(back.verify(kp.publicKey())).isTrue();
        assertThat(back.kid()).isEqualTo(kp.publicKey());
        assertThat(back.verify(Ed25519.generateKeyPair().publicKey())).isFalse();
        assertThat(back.verify(kp.publicKey(), new byte[] {9})).isFalse();
    }

    @Test
    void tamperedPayloadOrSignatureFails() throws Exception {
        KeyPair kp = Ed25519.generateKeyPair();
        byte[] enc = CoseSign1.sign(kp.privateKey(), kp.publicKey(), "receipt".getBytes(StandardCharsets.UTF_8)).encode();
        for (int i = 0; i < enc.length; i++) {
            byte[] t = enc.clone();
            t[i] ^= 0x01;
            boolean valid;
            try {
                valid = CoseSign1.decode(t).verify(kp.publicKey());
            } catch (CodecException e) {
                valid = false;
            }
            // Flipping a bit of the kid (unprotected) does not change what is signed; everything else must fail.
            if (valid) {
                assertThat(CoseSign1.decode(t).kid()).isNotEqualTo(kp.publicKey());
            }
        }
    }

    @Test
    void rejectsOtherAlgorithmsUntaggedAndCrit() {
        byte[] es256 = Cbor.encodeDeterministic(CborValue.map(CborValue.of(1), CborValue.of(-7)));
        byte[] msg = Cbor.encode(new CborValue.Tagged(18, CborValue.array(CborValue.of(es256), CborValue.map(),
                CborValue.of(new byte[1]), CborValue.of(new byte[64]))));
        assertThatThrownBy(() -> CoseSign1.decode(msg)).isInstanceOf(CodecException.class).hasMessageContaining("algorithm");
        byte[] untagged = Cbor.encode(CborValue.array(CborValue.of(HEX.parseHex("a10127")), CborValue.map(),
                CborValue.of(new byte[1]), CborValue.of(new byte[64])));
        assertThatThrownBy(() -> CoseSign1.decode(untagged)).isInstanceOf(CodecException.class).hasMessageContaining("tag 18");
        byte[] crit = Cbor.encodeDeterministic(CborValue.map(CborValue.of(1), CborValue.of(-8), CborValue.of(2),
                CborValue.array(CborValue.of(99))));
        byte[] withCrit = Cbor.encode(new CborValue.Tagged(18, CborValue.array(CborValue.of(crit), CborValue.map(),
                CborValue.of(new byte[1]), CborValue.of(new byte[64]))));
        assertThatThrownBy(() -> CoseSign1.decode(withCrit)).isInstanceOf(CodecException.class).hasMessageContaining("crit");
    }

    @Test
    void randomBytesNeverCrashTheParser() {
        qt().withExamples(2000).forAll(Gens.bytes(200)).checkAssert(junk -> {
            try {
                CoseSign1.decode(junk);
            } catch (CodecException expected) {
                // the one documented failure
            }
            try {
                Receipt.decode(junk);
            } catch (CodecException expected) {
                // the one documented failure
            }
        });
    }

    @Test
    void mutatedReceiptsNeverVerifyAndNeverCrashTheParser() throws Exception {
        KeyPair kp = Ed25519.generateKeyPair();
        List<byte[]> entries = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            entries.add(Receipt.entry(new byte[16], i, java.time.Instant.EPOCH, "alice", "get", "t", 3L, Receipt.OK, new byte[32], null));
        }
        List<byte[]> leaves = entries.stream().map(org.aivillage.vault.internal.Merkle::leafHash).toList();
        byte[] prot = Receipt.protectedHeader(kp.publicKey());
        CoseSign1 signed = CoseSign1.signDetached(kp.privateKey(), prot, CborValue.map(), org.aivillage.vault.internal.Merkle.root(leaves));
        byte[] receipt = Receipt.bundle(entries.get(3),
                signed.withUnprotected(Receipt.inclusionHeader(5, 3, org.aivillage.vault.internal.Merkle.inclusionPath(leaves, 3))));
        assertThat(Receipt.decode(receipt).verifySignature(kp.publicKey())).isTrue();
        qt().withExamples(2000).forAll(org.quicktheories.generators.SourceDSL.integers().between(0, receipt.length - 1),
                org.quicktheories.generators.SourceDSL.integers().between(1, 255)).checkAssert((at, with) -> {
                    byte[] t = receipt.clone();
                    t[at] ^= with.byteValue();
                    try {
                        Receipt r = Receipt.decode(t);
                        // Tree size and leaf index are not signed (RFC 9162 proofs can verify for
                        // several sizes); what must never verify is a changed entry.
                        if (r.verifySignature(kp.publicKey())) {
                            assertThat(r.entry()).as("flipped byte %d", at).isEqualTo(entries.get(3));
                        }
                    } catch (CodecException expected) {
                        // the one documented failure
                    }
                });
    }
}
