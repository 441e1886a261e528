package org.aivillage.bitchat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.aivillage.bitchat.BitChatIdentity;
import org.aivillage.bitchat.MeshPeerId;
import org.junit.jupiter.api.Test;

class NoiseSessionsTest {
    private final BitChatIdentity alice = BitChatIdentity.generate();
    private final BitChatIdentity bob = BitChatIdentity.generate();
    private final NoiseSessions a = new NoiseSessions(alice.noiseKeyPair(), alice.peerId(), 16);
    private final NoiseSessions b = new NoiseSessions(bob.noiseKeyPair(), bob.peerId(), 16);

    @Test
    void xxHandshakeThenOutOfOrderMessagesAndReplaysRefused() {
        establish();
        byte[] m0 = a.encrypt(bob.peerId(), "zero".getBytes());
        byte[] m1 = a.encrypt(bob.peerId(), "one".getBytes());
        assertThat(m0).hasSize(4 + 4 + 16);
        assertThat(b.decrypt(alice.peerId(), m1).plaintext()).isEqualTo("one".getBytes()); // reordered
        assertThat(b.decrypt(alice.peerId(), m0).plaintext()).isEqualTo("zero".getBytes());
        assertThat(b.decrypt(alice.peerId(), m0).status()).isEqualTo(NoiseSessions.DecryptStatus.REPLAY);
        byte[] tampered = m1.clone();
        tampered[6] ^= 1;
        tampered[0] = 0;
        tampered[3] = 9; // fresh nonce, bad tag
        assertThat(b.decrypt(alice.peerId(), tampered).status()).isEqualTo(NoiseSessions.DecryptStatus.AUTH_FAILED);
        assertThat(a.decrypt(bob.peerId(), b.encrypt(alice.peerId(), "back".getBytes())).plaintext())
                .isEqualTo("back".getBytes());
    }

    @Test
    void simultaneousOpenResolvesToOneHandshake() {
        byte[] fromA = a.initiate(bob.peerId(), 0);
        byte[] fromB = b.initiate(alice.peerId(), 0);
        NoiseSessions.HandshakeOutcome atB = b.onHandshake(alice.peerId(), fromA, alice.noisePublicKey(), 1, 10_000);
        NoiseSessions.HandshakeOutcome atA = a.onHandshake(bob.peerId(), fromB, bob.noisePublicKey(), 1, 10_000);
        boolean aSmaller = alice.peerId().compareTo(bob.peerId()) < 0;
        // exactly one side answers as responder
        assertThat(atA.reply() == null).isEqualTo(aSmaller);
        assertThat(atB.reply() == null).isEqualTo(!aSmaller);
        NoiseSessions initiator = aSmaller ? a : b;
        NoiseSessions responder = aSmaller ? b : a;
        MeshPeerId initiatorId = aSmaller ? alice.peerId() : bob.peerId();
        MeshPeerId responderId = aSmaller ? bob.peerId() : alice.peerId();
        byte[] msg2 = aSmaller ? atB.reply() : atA.reply();
        NoiseSessions.HandshakeOutcome o2 = initiator.onHandshake(responderId, msg2, null, 2, 10_000);
        assertThat(o2.established()).isTrue();
        assertThat(responder.onHandshake(initiatorId, o2.reply(), null, 3, 10_000).established()).isTrue();
    }

    @Test
    void refusesAStaticKeyThatDoesNotMatchThePeerId() {
        BitChatIdentity mallory = BitChatIdentity.generate();
        NoiseSessions m = new NoiseSessions(mallory.noiseKeyPair(), mallory.peerId(), 4);
        // mallory answers alice's handshake meant for bob, claiming bob's peer id
        byte[] msg1 = a.initiate(bob.peerId(), 0);
        byte[] msg2 = m.onHandshake(alice.peerId(), msg1, null, 0, 10_000).reply();
        NoiseSessions.HandshakeOutcome o = a.onHandshake(bob.peerId(), msg2, null, 1, 10_000);
        assertThat(o.established()).isFalse();
        assertThat(o.failure()).contains("does not hash to peer id");
        assertThat(a.isEstablished(bob.peerId())).isFalse();
    }

    private void establish() {
        byte[] msg1 = a.initiate(bob.peerId(), 0);
        assertThat(msg1).hasSize(NoiseSessions.MSG1);
        NoiseSessions.HandshakeOutcome o1 = b.onHandshake(alice.peerId(), msg1, alice.noisePublicKey(), 0, 10_000);
        assertThat(o1.reply()).hasSize(NoiseSessions.MSG2);
        NoiseSessions.HandshakeOutcome o2 = a.onHandshake(bob.peerId(), o1.reply(), bob.noisePublicKey(), 0, 10_000);
        assertThat(o2.established()).isTrue();
        assertThat(o2.reply()).hasSize(NoiseSessions.MSG3);
        assertThat(b.onHandshake(alice.peerId(), o2.reply(), alice.noisePublicKey(), 0, 10_000).established()).isTrue();
    }
}
