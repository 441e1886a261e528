package org.aivillage.betanet.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.aivillage.betanet.crypto.Aead;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.aivillage.betanet.crypto.MlKem768;
import org.aivillage.betanet.crypto.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseHandshakeTest {

    static List<String> allBasePatterns() {
        return HandshakePattern.baseNames();
    }

    @ParameterizedTest
    @MethodSource("allBasePatterns")
    void everyPatternCompletesWithEveryCipherAndHash(String pattern) throws Exception {
        for (String cipher : List.of("ChaChaPoly", "AESGCM")) {
            for (String hash : List.of("SHA256", "SHA512", "BLAKE2s", "BLAKE2b")) {
                String name = "Noise_" + pattern + "_25519_" + cipher + "_" + hash;
                TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair(name));
                assertThat(t[0].handshakeHash()).isEqualTo(t[1].handshakeHash()).hasSize(hash.endsWith("2b")
                        || hash.equals("SHA512") ? 64 : 32);
                assertThat(t[1].readMessage(t[0].writeMessage("hello".getBytes()))).isEqualTo("hello".getBytes());
                if (!t[0].protocol().pattern().isOneWay()) {
                    assertThat(t[0].readMessage(t[1].writeMessage("back".getBytes()))).isEqualTo("back".getBytes());
                }
            }
        }
    }

    @Test
    void patternsParseFromTheirNames() {
        HandshakePattern xk = HandshakePattern.parse("XK");
        assertThat(xk.responderPreMessage()).containsExactly(Token.S);
        assertThat(xk.messages()).extracting(MessagePattern::toString)
                .containsExactly("-> e, es", "<- e, ee", "-> s, se");
        HandshakePattern multi = HandshakePattern.parse("NNpsk0+psk2");
        assertThat(multi.messages()).extracting(MessagePattern::toString)
                .containsExactly("-> psk, e", "<- e, ee, psk");
        assertThat(multi.pskCount()).isEqualTo(2);
        assertThat(HandshakePattern.parse("XXpsk3").messages().get(2).tokens()).endsWith(Token.PSK);
        assertThat(HandshakePattern.baseNames()).hasSize(38);
    }

    @Test
    void badNamesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XK_448_ChaChaPoly_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("448");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_QQ_25519_ChaChaPoly_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("QQ");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XKpsk9_25519_ChaChaPoly_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("psk9");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XKfallback_25519_ChaChaPoly_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fallback");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XK_25519_Salsa_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Salsa");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_XKhfs_25519_ChaChaPoly_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEM");
        assertThatThrownBy(() -> NoiseProtocol.parse("Noise_Xhfs_25519+MLKEM768_ChaChaPoly_SHA256"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interactive");
    }

    @Test
    void builderRefusesMissingOrWrongKeys() {
        NoiseProtocol xk = NoiseProtocol.parse("Noise_XK_25519_ChaChaPoly_SHA256");
        assertThatThrownBy(() -> HandshakeState.builder(xk, Role.INITIATOR).localStatic(X25519.generateKeyPair()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("remoteStatic");
        assertThatThrownBy(() -> HandshakeState.builder(xk, Role.INITIATOR).remoteStatic(new byte[32]).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("localStatic");
        assertThatThrownBy(() -> HandshakeState.builder(xk, Role.INITIATOR).localStatic(X25519.generateKeyPair())
                .remoteStatic(new byte[31]).build()).isInstanceOf(IllegalStateException.class);
        NoiseProtocol xx = NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256");
        assertThatThrownBy(() -> HandshakeState.builder(xx, Role.INITIATOR).localStatic(X25519.generateKeyPair())
                .remoteStatic(new byte[32]).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("remoteStaticKey()");
        NoiseProtocol psk = NoiseProtocol.parse("Noise_NNpsk0_25519_ChaChaPoly_SHA256");
        assertThatThrownBy(() -> HandshakeState.builder(psk, Role.INITIATOR).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("psk");
        assertThatThrownBy(() -> HandshakeState.builder(psk, Role.INITIATOR).psks(List.of(new byte[16])).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void outOfTurnCallsAreProgrammingErrors() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_XK_25519_ChaChaPoly_SHA256");
        assertThat(p.initiator().action()).isEqualTo(HandshakeState.Action.WRITE_MESSAGE);
        assertThat(p.responder().action()).isEqualTo(HandshakeState.Action.READ_MESSAGE);
        assertThatThrownBy(() -> p.responder().writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.initiator().readMessage(new byte[48])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.initiator().split()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void xkReportsKeysAndHashesOnBothSides() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_XK_25519_ChaChaPoly_SHA256");
        byte[] m1 = p.initiator().writeMessage(new byte[0]);
        assertThat(m1).hasSize(32 + 16); // e, then the empty payload's tag under the es key
        p.responder().readMessage(m1);
        byte[] m2 = p.responder().writeMessage(new byte[0]);
        assertThat(m2).hasSize(32 + 16);
        p.initiator().readMessage(m2);
        byte[] m3 = p.initiator().writeMessage(new byte[0]);
        assertThat(m3).hasSize(32 + 16 + 16);
        assertThat(p.responder().remoteStaticKey()).isNull();
        p.responder().readMessage(m3);
        assertThat(p.responder().remoteStaticKey()).isNotNull();
        assertThat(p.initiator().isComplete()).isTrue();
        assertThat(p.responder().handshakeHash()).isEqualTo(p.initiator().handshakeHash());
        TransportState ti = p.initiator().split();
        TransportState tr = p.responder().split();
        assertThat(p.initiator().action()).isEqualTo(HandshakeState.Action.DONE);
        assertThat(tr.remoteStaticKey()).isEqualTo(p.responder().remoteStaticKey());
        assertThat(ti.handshakeHash()).isEqualTo(tr.handshakeHash());
        assertThat(ti.sender().nonce()).isZero();
        byte[] c = ti.writeMessage(new byte[100]);
        assertThat(c).hasSize(116);
        tr.readMessage(c);
        assertThat(ti.sender().nonce()).isEqualTo(1);
        assertThat(tr.receiver().nonce()).isEqualTo(1);
        assertThat(tr.receiver().bytesSinceRekey()).isEqualTo(100);
    }

    @Test
    void aDifferentPrologueFailsTheHandshake() throws Exception {
        NoiseProtocol proto = NoiseProtocol.parse("Noise_NN_25519_ChaChaPoly_SHA256");
        HandshakeState i = HandshakeState.builder(proto, Role.INITIATOR).prologue(new byte[] {1}).build();
        HandshakeState r = HandshakeState.builder(proto, Role.RESPONDER).prologue(new byte[] {2}).build();
        r.readMessage(i.writeMessage(new byte[0])); // message 1 has no key yet: the mismatch shows in message 2
        assertThatThrownBy(() -> i.readMessage(r.writeMessage(new byte[0])))
                .isInstanceOf(NoiseException.class).hasCauseInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void aTamperedMessageFailsAndLeavesTheStateUnusable() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_XK_25519_ChaChaPoly_SHA256");
        byte[] m1 = p.initiator().writeMessage("hi".getBytes());
        m1[40] ^= 1;
        assertThatThrownBy(() -> p.responder().readMessage(m1))
                .isInstanceOf(NoiseException.class).hasCauseInstanceOf(AuthenticationFailedException.class);
        assertThat(p.responder().action()).isEqualTo(HandshakeState.Action.FAILED);
        m1[40] ^= 1;
        assertThatThrownBy(() -> p.responder().readMessage(m1)).isInstanceOf(NoiseException.class)
                .hasMessageContaining("failed earlier");
    }

    @Test
    void truncatedMessagesAreRefusedNamingTheTokenAndOffset() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_XX_25519_ChaChaPoly_SHA256");
        p.responder().readMessage(p.initiator().writeMessage(new byte[0]));
        byte[] m2 = p.responder().writeMessage(new byte[0]);
        assertThatThrownBy(() -> p.initiator().readMessage(Arrays.copyOf(m2, 40)))
                .isInstanceOf(NoiseException.class).hasMessageContaining("token 's' at offset 32");
    }

    @Test
    void theNoiseMessageLimitIsEnforced() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_NN_25519_ChaChaPoly_SHA256");
        // message 1 of NN: e (32) + payload in clear: 65,503 bytes of payload is the most that fits.
        assertThatThrownBy(() -> p.initiator().writeMessage(new byte[65_504]))
                .isInstanceOf(NoiseException.class).hasMessageContaining("65535");
        assertThat(p.initiator().action()).isEqualTo(HandshakeState.Action.WRITE_MESSAGE);
        byte[] m1 = p.initiator().writeMessage(new byte[65_503]);
        assertThat(m1).hasSize(65_535);
        p.responder().readMessage(m1);
        assertThatThrownBy(() -> p.initiator().readMessage(new byte[65_536]))
                .isInstanceOf(NoiseException.class).hasMessageContaining("limit");

        TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_NN_25519_ChaChaPoly_SHA256"));
        assertThat(t[0].writeMessage(new byte[TransportState.MAX_PAYLOAD_LENGTH])).hasSize(65_535);
        assertThatThrownBy(() -> t[0].writeMessage(new byte[TransportState.MAX_PAYLOAD_LENGTH + 1]))
                .isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> t[1].readMessage(new byte[65_536])).isInstanceOf(NoiseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ChaChaPoly", "AESGCM"})
    void rekeyFollowsSection11_3AndKeepsTheNonce(String cipher) throws Exception {
        TransportState[] t = NoiseTestSupport.complete(
                NoiseTestSupport.pair("Noise_NN_25519_" + cipher + "_SHA256"));
        t[1].readMessage(t[0].writeMessage(new byte[10]));
        t[0].rekeySender();
        byte[] afterRekey = t[0].writeMessage("after".getBytes());
        // The receiver has not rekeyed yet: the message does not verify, and its nonce stays put.
        assertThatThrownBy(() -> t[1].readMessage(afterRekey)).isInstanceOf(NoiseException.class)
                .hasCauseInstanceOf(AuthenticationFailedException.class);
        assertThat(t[1].receiver().nonce()).isEqualTo(1);
        t[1].rekeyReceiver();
        assertThat(t[1].readMessage(afterRekey)).isEqualTo("after".getBytes());
        assertThat(t[0].sender().nonce()).isEqualTo(2);
    }

    @Test
    void rekeyIsTheSpecFunction() throws Exception {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 7);
        CipherState cs = new CipherState(CipherFunction.CHACHAPOLY);
        cs.initializeKey(k);
        cs.rekey();
        byte[] maxNonce = new byte[12];
        Arrays.fill(maxNonce, 4, 12, (byte) 0xff);
        byte[] expectedKey = Arrays.copyOf(Aead.chaCha20Poly1305(k).seal(maxNonce, new byte[0], new byte[32]), 32);
        byte[] probe = cs.encryptWithAd(new byte[0], "x".getBytes());
        byte[] nonce0 = new byte[12];
        assertThat(probe).isEqualTo(Aead.chaCha20Poly1305(expectedKey).seal(nonce0, new byte[0], "x".getBytes()));
    }

    @Test
    void nonceEncodingsFollowTheSpec() {
        byte[] out = new byte[12];
        CipherFunction.CHACHAPOLY.encodeNonce(0x0102030405060708L, out);
        assertThat(out).containsExactly(0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1);
        CipherFunction.AESGCM.encodeNonce(0x0102030405060708L, out);
        assertThat(out).containsExactly(0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void theLastNonceIsReserved() throws Exception {
        TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_NN_25519_ChaChaPoly_SHA256"));
        t[0].sender().setNonce(-2L); // 2^64 - 2, the last usable nonce
        t[1].receiver().setNonce(-2L);
        assertThat(t[1].readMessage(t[0].writeMessage("last".getBytes()))).isEqualTo("last".getBytes());
        assertThat(t[0].sender().nonce()).isEqualTo(-1L);
        assertThatThrownBy(() -> t[0].writeMessage("one more".getBytes()))
                .isInstanceOf(NoiseException.class).hasMessageContaining("exhausted");
        assertThatThrownBy(() -> t[1].readMessage(new byte[20]))
                .isInstanceOf(NoiseException.class).hasMessageContaining("exhausted");
    }

    @Test
    void oneWayTransportsOnlySendFromTheInitiator() throws Exception {
        TransportState[] t = NoiseTestSupport.complete(NoiseTestSupport.pair("Noise_X_25519_ChaChaPoly_SHA256"));
        assertThat(t[1].remoteStaticKey()).isNotNull();
        assertThatThrownBy(t[0]::receiver).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t[1].writeMessage(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void multiplePsksRoundTrip() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_NNpsk0+psk2_25519_ChaChaPoly_BLAKE2s");
        TransportState[] t = NoiseTestSupport.complete(p);
        assertThat(t[0].handshakeHash()).isEqualTo(t[1].handshakeHash());
        // A wrong psk on one side fails at the first message that is authenticated.
        NoiseProtocol proto = NoiseProtocol.parse("Noise_NNpsk0_25519_ChaChaPoly_SHA256");
        HandshakeState i = HandshakeState.builder(proto, Role.INITIATOR).psks(List.of(new byte[32])).build();
        byte[] other = new byte[32];
        other[0] = 1;
        HandshakeState r = HandshakeState.builder(proto, Role.RESPONDER).psks(List.of(other)).build();
        assertThatThrownBy(() -> r.readMessage(i.writeMessage(new byte[0])))
                .isInstanceOf(NoiseException.class).hasCauseInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void hfsPatternsPlaceTheKemTokens() {
        assertThat(HandshakePattern.parse("XKhfs").messages()).extracting(MessagePattern::toString)
                .containsExactly("-> e, es, e1", "<- e, ee, ekem1", "-> s, se");
        assertThat(HandshakePattern.parse("IKhfs").messages()).extracting(MessagePattern::toString)
                .containsExactly("-> e, es, e1, s, ss", "<- e, ee, ekem1, se");
        assertThat(HandshakePattern.parse("XXhfs").messages()).extracting(MessagePattern::toString)
                .containsExactly("-> e, e1", "<- e, ee, ekem1, s, es", "-> s, se");
        assertThat(HandshakePattern.parse("NNhfs").messages()).extracting(MessagePattern::toString)
                .containsExactly("-> e, e1", "<- e, ee, ekem1");
    }

    @Test
    void xkHfsMessageSizesAreThoseDocumented() throws Exception {
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_XKhfs_25519+MLKEM768_ChaChaPoly_SHA256");
        byte[] m1 = p.initiator().writeMessage(new byte[0]);
        p.responder().readMessage(m1);
        byte[] m2 = p.responder().writeMessage(new byte[0]);
        p.initiator().readMessage(m2);
        byte[] m3 = p.initiator().writeMessage(new byte[0]);
        p.responder().readMessage(m3);
        assertThat(new int[] {m1.length, m2.length, m3.length}).containsExactly(1248, 1152, 64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NN", "XK", "XX", "IK", "KK", "NK1", "XXpsk3"})
    void hybridHandshakesRoundTrip(String base) throws Exception {
        String pattern = base.contains("psk") ? base.replace("psk3", "hfs+psk3") : base + "hfs";
        String name = "Noise_" + pattern + "_25519+MLKEM768_ChaChaPoly_SHA256";
        NoiseTestSupport.Pair p = NoiseTestSupport.pair(name);
        byte[] m1 = p.initiator().writeMessage(new byte[0]);
        assertThat(m1.length).isGreaterThanOrEqualTo(32 + MlKem768.PUBLIC_KEY_LENGTH);
        p.responder().readMessage(m1);
        byte[] m2 = p.responder().writeMessage(new byte[0]);
        assertThat(m2.length).isGreaterThanOrEqualTo(32 + MlKem768.CIPHERTEXT_LENGTH + 16);
        p.initiator().readMessage(m2);
        while (p.initiator().action() != HandshakeState.Action.SPLIT) {
            HandshakeState w = p.initiator().action() == HandshakeState.Action.WRITE_MESSAGE ? p.initiator() : p.responder();
            HandshakeState r = w == p.initiator() ? p.responder() : p.initiator();
            r.readMessage(w.writeMessage(new byte[0]));
        }
        assertThat(p.initiator().handshakeHash()).isEqualTo(p.responder().handshakeHash());
        TransportState ti = p.initiator().split();
        TransportState tr = p.responder().split();
        assertThat(tr.readMessage(ti.writeMessage("pq".getBytes()))).isEqualTo("pq".getBytes());
        assertThat(ti.readMessage(tr.writeMessage("ok".getBytes()))).isEqualTo("ok".getBytes());
    }

    @Test
    void theKemSecretIsMixedIn() throws Exception {
        // Tampering with the KEM ciphertext inside ekem1 is caught: it is encrypted and hashed.
        NoiseTestSupport.Pair p = NoiseTestSupport.pair("Noise_NNhfs_25519+MLKEM768_ChaChaPoly_SHA256");
        p.responder().readMessage(p.initiator().writeMessage(new byte[0]));
        byte[] m2 = p.responder().writeMessage(new byte[0]);
        m2[100] ^= 0x20;
        assertThatThrownBy(() -> p.initiator().readMessage(m2)).isInstanceOf(NoiseException.class);
        // And the hybrid hash differs from the classical one under the same name prefix.
        assertThat(NoiseProtocol.parse("Noise_NNhfs_25519+MLKEM768_ChaChaPoly_SHA256").kem())
                .isEqualTo(KemFunction.MLKEM768);
    }
}
