package org.aivillage.betanet.mixnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixed keys and randomness give the committed bytes (src/test/resources/sphinx-vectors.txt). */
class SphinxKnownAnswerTest {

    @Test
    void committedVectorsReproduce() throws Exception {
        List<Map<String, String>> cases = load();
        assertThat(cases).hasSize(4);
        for (Map<String, String> c : cases) {
            int hops = Integer.parseInt(c.get("hops"));
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < hops; i++) {
                keys.add(SphinxVectors.nodeKey(i));
            }
            Map<String, String> actual = SphinxVectors.compute(SphinxVectors.HEX.parseHex(c.get("seed")), keys,
                    ints(c.get("delays_ms")), ints(c.get("key_phases")), Boolean.parseBoolean(c.get("surb")),
                    SphinxVectors.HEX.parseHex(c.get("message")));
            for (Map.Entry<String, String> e : actual.entrySet()) {
                assertThat(e.getValue()).as("%s: %s", c.get("case"), e.getKey()).isEqualTo(c.get(e.getKey()));
            }
            String msg = c.get("message");
            assertThat(c.getOrDefault("delivered", c.get("reply"))).as("%s payload", c.get("case")).isEqualTo(msg);
            assertThat(c.get("packet")).hasSize(2 * Sphinx.PACKET_LENGTH);
        }
    }

    private static List<Integer> ints(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    static List<Map<String, String>> load() throws IOException {
        List<Map<String, String>> cases = new ArrayList<>();
        try (InputStream in = SphinxKnownAnswerTest.class.getResourceAsStream("/sphinx-vectors.txt")) {
            assertThat(in).as("sphinx-vectors.txt on the test classpath").isNotNull();
            Map<String, String> cur = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf(" = ");
                String k = line.substring(0, eq);
                String v = line.substring(eq + 3).trim();
                if (k.equals("case")) {
                    cur = new LinkedHashMap<>();
                    cases.add(cur);
                }
                cur.put(k, v);
            }
        }
        return cases;
    }
}
