package org.aivillage.betanet.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.aivillage.betanet.crypto.AuthenticationFailedException;
import org.junit.jupiter.api.Test;

class SecureConfigTest {
    private static final byte[] AAD = "twin:42".getBytes(StandardCharsets.UTF_8);

    @Test
    void encryptsWithFreshNoncesAndDecrypts() throws Exception {
        try (SecureConfig c = SecureConfig.generate()) {
            byte[] msg = "the plaintext".getBytes(StandardCharsets.UTF_8);
            byte[] a = c.encrypt(msg, AAD);
            byte[] b = c.encrypt(msg, AAD);
            assertThat(a).hasSize(24 + msg.length + 16);
            assertThat(Arrays.copyOf(a, 24)).isNotEqualTo(Arrays.copyOf(b, 24));
            assertThat(c.decrypt(a, AAD)).containsExactly(msg);
            assertThat(c.decrypt(b, AAD)).containsExactly(msg);
        }
    }

    @Test
    void tamperingOrWrongContextFails() {
        try (SecureConfig c = SecureConfig.generate()) {
            byte[] sealed = c.encrypt(new byte[100], AAD);
            for (int pos : new int[] {0, 23, 24, 60, sealed.length - 1}) {
                byte[] t = sealed.clone();
                t[pos] ^= 1;
                assertThatThrownBy(() -> c.decrypt(t, AAD)).isInstanceOf(AuthenticationFailedException.class);
            }
            assertThatThrownBy(() -> c.decrypt(sealed, "twin:43".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(AuthenticationFailedException.class);
            assertThatThrownBy(() -> c.decrypt(new byte[10], AAD)).isInstanceOf(AuthenticationFailedException.class);
        }
    }

    @Test
    void subKeysAreIndependentPerPurposeAndDeterministicPerMaster() {
        byte[] master = new byte[32];
        master[0] = 7;
        try (SecureConfig a = new SecureConfig(master); SecureConfig b = new SecureConfig(master)) {
            assertThat(a.deriveKey("tickets", 32)).isEqualTo(b.deriveKey("tickets", 32));
            assertThat(a.deriveKey("tickets", 32)).isNotEqualTo(a.deriveKey("vault", 32));
        }
    }

    @Test
    void closingWipesAndDisables() {
        SecureConfig c = SecureConfig.generate();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> c.deriveKey("x", 32)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.encrypt(new byte[1], AAD)).isInstanceOf(IllegalStateException.class);
        assertThat(c.toString()).doesNotContainPattern("[0-9a-f]{16}");
    }
}
