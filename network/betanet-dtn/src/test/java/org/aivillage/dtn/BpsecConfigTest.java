package org.aivillage.dtn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpsecConfigTest {
    @TempDir
    Path dir;

    @Test
    void loadsKeysAndPolicyAndNeverEchoesKeys() throws Exception {
        Path f = dir.resolve("keys.toml");
        String secret = "ab".repeat(32);
        Files.writeString(f, "sign = true\nencrypt = true\n[integrity]\n\"dtn://alpha/\" = \"" + "11".repeat(32)
                + "\"\n[confidentiality]\n\"dtn://alpha/x\" = \"" + secret + "\"\n");
        BpsecConfig c = BpsecConfig.load(f);
        assertThat(c.signOutgoing()).isTrue();
        assertThat(c.encryptOutgoing()).isTrue();
        assertThat(c.requireIntegrity()).isFalse();
        assertThat(c.integrityKeys()).containsKey(EndpointId.parse("dtn://alpha/"));
        assertThat(c.confidentialityKeys().get(EndpointId.parse("dtn://alpha/"))).hasSize(32);
        assertThat(c.toString()).doesNotContain(secret).doesNotContain("11111111");

        Files.writeString(f, "[confidentiality]\n\"dtn://alpha/\" = \"zz" + secret + "\"\n");
        assertThatThrownBy(() -> BpsecConfig.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtn://alpha/").hasMessageNotContaining(secret);
        Files.writeString(f, "[confidentiality]\n\"dtn://alpha/\" = \"" + "ab".repeat(16) + "\"\n");
        assertThatThrownBy(() -> BpsecConfig.load(f)).hasMessageContaining("32 bytes");
        Files.writeString(f, "sign = \"yes\"\n");
        assertThatThrownBy(() -> BpsecConfig.load(f)).hasMessageContaining("sign must be true or false");
    }
}
