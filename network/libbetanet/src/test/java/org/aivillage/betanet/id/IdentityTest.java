package org.aivillage.betanet.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Optional;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.betanet.crypto.Hashes;
import org.aivillage.betanet.crypto.KeyPair;
import org.junit.jupiter.api.Test;

class IdentityTest {
    @Test
    void peerIdIsTheSha256Multihash() throws CodecException {
        byte[] pub = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        PeerId id = PeerId.fromPublicKey(pub);
        byte[] expected = new byte[34];
        expected[0] = 0x12;
        expected[1] = 0x20;
        System.arraycopy(Hashes.sha256(pub), 0, expected, 2, 32);
        assertThat(id.bytes()).containsExactly(expected);
        assertThat(id.toString()).startsWith("Qm").hasSize(46);
        assertThat(PeerId.parse(id.toString())).isEqualTo(id);
        assertThat(PeerId.parse(id.toHex())).isEqualTo(id);
        assertThat(id.matches(pub)).isTrue();
        assertThat(id.matches(new byte[32])).isFalse();
    }

    @Test
    void malformedPeerIdsAreRejected() {
        assertThatThrownBy(() -> PeerId.fromBytes(new byte[33])).isInstanceOf(CodecException.class).hasMessageContaining("34 bytes");
        byte[] wrongCode = new byte[34];
        wrongCode[0] = 0x13;
        wrongCode[1] = 0x20;
        assertThatThrownBy(() -> PeerId.fromBytes(wrongCode)).hasMessageContaining("0x12 0x20");
        assertThatThrownBy(() -> PeerId.parse("not-a-peer-id")).isInstanceOf(CodecException.class);
    }

    @Test
    void betanetIdsAreSelfCertifying() throws CodecException {
        KeyPair service = Ed25519.generateKeyPair();
        BetanetId id = BetanetId.forPublicKey(service.publicKey()).withResource("/chat/room1");
        assertThat(id.toString()).matches("betanet://[0-9a-f]{64}/chat/room1");
        BetanetId parsed = BetanetId.parse(id.toString().toUpperCase().replace("BETANET://", "betanet://").replace("/CHAT/ROOM1", "/chat/room1"));
        assertThat(parsed).isEqualTo(id);
        assertThat(parsed.resource()).isEqualTo(Optional.of("chat/room1"));
        assertThat(parsed.isCertifiedBy(service.publicKey())).isTrue();
        assertThat(parsed.isCertifiedBy(Ed25519.generateKeyPair().publicKey())).isFalse();
        assertThat(BetanetId.parse("betanet://" + "ab".repeat(32)).resource()).isEmpty();
    }

    @Test
    void malformedBetanetIdsNameTheProblem() {
        assertThatThrownBy(() -> BetanetId.parse("http://x")).hasMessageContaining("scheme");
        assertThatThrownBy(() -> BetanetId.parse("betanet://abcd")).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> BetanetId.parse("betanet://" + "zz".repeat(32))).hasMessageContaining("offset 10");
    }
}
