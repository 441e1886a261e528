package org.aivillage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.aivillage.config.internal.KeySpec;
import org.aivillage.config.internal.Schema;

/** Whatever text a user feeds in, the loader answers with a config or a ConfigException, nothing else. */
class ConfigPropertyTest {

    private static void parseOnlyThrowsConfigException(String text) {
        try {
            ConfigLoader.parse(text, "random.toml");
        } catch (ConfigException e) {
            assertThat(e.errors()).isNotEmpty();
            for (ConfigError err : e.errors()) {
                assertThat(err.toString()).startsWith("random.toml").doesNotContain("\n");
            }
        }
    }

    @Property(tries = 300)
    void randomTextNeverThrowsAnythingElse(@ForAll @StringLength(max = 400) String text) {
        parseOnlyThrowsConfigException(text);
    }

    @Provide
    Arbitrary<String> tomlish() {
        Arbitrary<String> tokens = Arbitraries.of("[", "]", "[[", "]]", "{", "}", "=", "\"", "'", "\"\"\"", ",", ".",
                "#", "\n", " ", "\t", "-", "+", "0", "1", "7e3", "1_000", "0x1f", "inf", "nan", "true", "false",
                "1979-05-27T07:32:00Z", "network", "dtn", "global", "spray_copies", "security", "allow_list",
                "10.0.0.0/8", "logging", "level", "\\u00e9", "\\", "é", "\u0000", "storage", "twin_vault", "passphrase");
        return tokens.list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Property(tries = 500)
    void tomlLikeTokenSoupNeverThrowsAnythingElse(@ForAll("tomlish") String text) {
        parseOnlyThrowsConfigException(text);
    }

    @Provide
    Arbitrary<String> mutatedDefaultFile() {
        String base = ConfigRenderer.defaultFile().replaceAll("(?m)^# (\\w+ = \"\")$", "$1");
        Arbitrary<Integer> position = Arbitraries.integers().between(0, base.length() - 1);
        Arbitrary<Character> replacement = Arbitraries.of('"', '=', '[', ']', '\n', 'x', '1', '.', '#', ' ', '-');
        return Combinators.combine(position.list().ofMinSize(1).ofMaxSize(5), replacement.list().ofSize(5))
                .as((positions, chars) -> {
                    StringBuilder sb = new StringBuilder(base);
                    for (int i = 0; i < positions.size(); i++) {
                        int p = Math.min(positions.get(i), sb.length() - 1);
                        sb.setCharAt(p, chars.get(i));
                    }
                    return sb.toString();
                });
    }

    @Property(tries = 300)
    void mutatedFilesNeverThrowAnythingElse(@ForAll("mutatedDefaultFile") String text) {
        parseOnlyThrowsConfigException(text);
    }

    @Provide
    Arbitrary<VillageConfig> configs() {
        List<Arbitrary<Record>> sections = new ArrayList<>();
        for (Schema.SectionSpec s : Schema.instance().sections()) {
            List<Arbitrary<Object>> keys = s.keys().stream().map(ConfigPropertyTest::valueOf).toList();
            sections.add(Combinators.combine(keys).as(values -> construct(s, values)));
        }
        return Combinators.combine(sections).as(values -> construct(values));
    }

    /** Rendering a configuration and reading it back gives the same configuration. */
    @Property(tries = 200)
    void showThenParseRoundTrips(@ForAll("configs") VillageConfig config) {
        String text = ConfigRenderer.toToml(config, "round trip");
        assertThat(ConfigLoader.parse(text, "roundtrip.toml")).isEqualTo(config);
    }

    private static Arbitrary<Object> valueOf(KeySpec k) {
        Arbitrary<?> a = switch (k.kind()) {
            case BOOLEAN -> Arbitraries.of(true, false);
            case INT -> Arbitraries.integers().between((int) k.range().min(), (int) k.range().max());
            case LONG -> Arbitraries.longs().between((long) k.range().min(), (long) k.range().max());
            case DOUBLE -> Arbitraries.doubles().between(k.range().min(), k.range().max()).ofScale(6);
            case STRING -> k.format() == null ? Arbitraries.strings().ofMinLength(1).ofMaxLength(30) : sample(k);
            case PATH -> Arbitraries.strings().withChars("abc/._- é").ofMinLength(1).ofMaxLength(20)
                    .filter(s -> !Path.of(s).toString().isEmpty()).map(Path::of);
            case SECRET -> Arbitraries.just(null);
            case ENUM -> Arbitraries.of(k.enumConstants());
            case STRING_LIST -> (k.format() == null ? Arbitraries.strings().ofMaxLength(10) : sample(k)).list().ofMaxSize(4);
        };
        if (k.kind() == KeySpec.Kind.SECRET) {
            return Arbitraries.just(Optional.empty()); // rendered redacted, so not round-trippable
        }
        if (k.optional()) {
            return Arbitraries.oneOf(Arbitraries.just(Optional.empty()), a.map(v -> (Object) Optional.of(v)));
        }
        return a.map(v -> (Object) v);
    }

    private static Arbitrary<String> sample(KeySpec k) {
        return switch (k.format()) {
            case HOST -> Arbitraries.of("127.0.0.1", "::", "node.example", "0.0.0.0");
            case ENDPOINT -> Arbitraries.of("mix.example:4443", "[2001:db8::1]:443", "10.1.2.3:9");
            case CIDR -> Arbitraries.of("10.0.0.0/8", "fd00::/8", "192.0.2.7", "0.0.0.0/0");
        };
    }

    private static Record construct(Schema.SectionSpec s, List<Object> values) {
        try {
            return s.constructor().newInstance(values.toArray());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static VillageConfig construct(List<Record> sections) {
        try {
            return (VillageConfig) VillageConfig.class.getDeclaredConstructors()[0].newInstance(sections.toArray());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
