package org.aivillage.betanet.utls.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.aivillage.betanet.crypto.KeyPair;
import org.aivillage.betanet.crypto.MlKem768;
import org.aivillage.betanet.crypto.X25519;
import org.aivillage.betanet.utls.UtlsHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem): the client share is the 1184-byte ML-KEM-768
 * encapsulation key followed by the 32-byte X25519 key (1216 bytes, as Chromium sends), the server
 * share is the 1088-byte ciphertext followed by its X25519 key, and the secret is the ML-KEM
 * secret followed by the X25519 secret. The server side here is played with the crypto facade.
 */
class KeyShareSecretTest {
    @Test
    void hybridShareLayoutAndSecretMatchAServerPlayedWithTheFacade() throws Exception {
        try (KeyShareSecret client = KeyShareSecret.generate(TlsCodes.GROUP_X25519MLKEM768)) {
            byte[] share = client.publicShare();
            assertThat(share).hasSize(1216);
            byte[] ek = Arrays.copyOf(share, 1184);
            byte[] clientX = Arrays.copyOfRange(share, 1184, 1216);
            MlKem768.Encapsulation enc = MlKem768.encapsulate(ek);
            KeyPair serverX = X25519.generateKeyPair();
            byte[] serverShare = new byte[1120];
            System.arraycopy(enc.ciphertext(), 0, serverShare, 0, 1088);
            System.arraycopy(serverX.publicKey(), 0, serverShare, 1088, 32);
            byte[] expected = new byte[64];
            System.arraycopy(enc.sharedSecret(), 0, expected, 0, 32);
            System.arraycopy(X25519.sharedSecret(serverX.privateKey(), clientX), 0, expected, 32, 32);
            assertThat(client.agree(serverShare)).isEqualTo(expected);
            assertThatThrownBy(() -> client.agree(new byte[1119])).isInstanceOf(UtlsHandshakeException.class);
        }
    }

    @Test
    void nistCurveSharesAgreeAndRejectOffCurvePoints() throws Exception {
        for (int group : new int[] {TlsCodes.GROUP_SECP256R1, TlsCodes.GROUP_SECP384R1, TlsCodes.GROUP_SECP521R1}) {
            try (KeyShareSecret a = KeyShareSecret.generate(group); KeyShareSecret b = KeyShareSecret.generate(group)) {
                assertThat(a.agree(b.publicShare())).isEqualTo(b.agree(a.publicShare()));
                byte[] bad = a.publicShare();
                bad[bad.length - 1] ^= 1;
                assertThatThrownBy(() -> b.agree(bad)).isInstanceOf(UtlsHandshakeException.class);
            }
        }
    }

    @Test
    void x25519RejectsLowOrderPoints() throws Exception {
        try (KeyShareSecret a = KeyShareSecret.generate(TlsCodes.GROUP_X25519)) {
            assertThatThrownBy(() -> a.agree(new byte[32])).isInstanceOf(UtlsHandshakeException.class);
        }
    }
}
