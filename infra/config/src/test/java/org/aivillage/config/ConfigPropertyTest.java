package org.aivillage.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
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

    @Test
    void randomTextNeverThrowsAnythingElse() {
        qt().withExamples(300).forAll(strings().allPossible().ofLengthBetween(0, 400))
                .checkAssert(ConfigPropertyTest::parseOnlyThrowsConfigException);
    }

    private static Gen<String> tomlish() {
        Gen<String> tokens = Generate.pick(List.of("[", "]", "[[", "]]", "{", "}", "=", "\"", "'", "\"\"\"", ",", ".",
                "#", "\n", " ", "\t", "-", "+", "0", "1", "7e3", "1_000", "0x1f", "inf", "nan", "true", "false",
                "1979-05-27T07:32:00Z", "network", "dtn", "global", "spray_copies", "security", "allow_list",
                "10.0.0.0/8", "logging", "level", "\\u00e9", "\\", "é", "\u0000", "storage", "twin_vault", "passphrase"));
        return lists().of(tokens).ofSizeBetween(0, 60).map(l -> String.join("", l));
    }

    @Test
    void tomlLikeTokenSoupNeverThrowsAnythingElse() {
        qt().withExamples(500).forAll(tomlish()).checkAssert(ConfigPropertyTest::parseOnlyThrowsConfigException);
    }

    private static Gen<String> mutatedDefaultFile() {
        String base = ConfigRenderer.defaultFile().replaceAll("(?m)^# (\\w+ = \"\")$", "$1");
        Gen<Integer> position = integers().between(0, base.length() - 1);
        Gen<Character> replacement = Generate.pick(List.of('"', '=', '[', ']', '\n', 'x', '1', '.', '#', ' ', '-'));
        return lists().of(position).ofSizeBetween(1, 5).zip(lists().of(replacement).ofSize(5),
                (positions, chars) -> {
                    StringBuilder sb = new StringBuilder(base);
                    for (int i = 0; i < positions.size(); i++) {
                        int p = Math.min(positions.get(i), sb.length() - 1);
                        sb.setCharAt(p, chars.get(i));
                    }
                    return sb.toString();
                });
    }

    @Test
    void mutatedFilesNeverThrowAnythingElse() {
        qt().withExamples(300).forAll(mutatedDefaultFile()).checkAssert(ConfigPropertyTest::parseOnlyThrowsConfigException);
    }

    /** One value from each generator, in order (QuickTheories has no n-ary combinator). */
    private static <T> Gen<List<T>> sequence(List<Gen<T>> gens) {
        return rnd -> gens.stream().map(g -> g.generate(rnd)).toList();
    }

    private static Gen<VillageConfig> configs() {
        List<Gen<Record>> sections = new ArrayList<>();
        for (Schema.SectionSpec s : Schema.instance().sections()) {
            List<Gen<Object>> keys = s.keys().stream().map(ConfigPropertyTest::valueOf).toList();
            sections.add(sequence(keys).map(values -> construct(s, values)));
        }
        return sequence(sections).map((List<Record> values) -> construct(values));
    }

    /** Rendering a configuration and reading it back gives the same configuration. */
    @Test
    void showThenParseRoundTrips() {
        qt().withExamples(200).forAll(configs()).checkAssert(config -> {
            String text = ConfigRenderer.toToml(config, "round trip");
            assertThat(ConfigLoader.parse(text, "roundtrip.toml")).isEqualTo(config);
        });
    }

    private static Gen<Object> valueOf(KeySpec k) {
        if (k.kind() == KeySpec.Kind.SECRET) {
            return Generate.constant(Optional.empty()); // rendered redacted, so not round-trippable
        }
        Gen<Object> a = switch (k.kind()) {
            case BOOLEAN -> booleans().all().map(v -> (Object) v);
            case INT -> integers().between((int) k.range().min(), (int) k.range().max()).map(v -> (Object) v);
            case LONG -> longs().between((long) k.range().min(), (long) k.range().max()).map(v -> (Object) v);
            case DOUBLE -> doubles().between(k.range().min(), k.range().max())
                    .map(d -> (Object) (Math.round(d * 1e6) / 1e6));
            case STRING -> (k.format() == null ? strings().allPossible().ofLengthBetween(1, 30)
                    .map(ConfigPropertyTest::withoutSurrogates) : sample(k)).map(v -> (Object) v);
            case PATH -> lists().of(Generate.pick(List.of('a', 'b', 'c', '/', '.', '_', '-', ' ', 'é'))).ofSizeBetween(1, 20)
                    .map(cs -> cs.stream().map(String::valueOf).reduce("", String::concat))
                    .assuming(s -> !Path.of(s).toString().isEmpty()).map(v -> (Object) Path.of(v));
            case SECRET -> throw new AssertionError("handled above");
            case ENUM -> Generate.pick(new ArrayList<Object>(k.enumConstants()));
            case STRING_LIST -> lists().of(k.format() == null ? strings().allPossible().ofLengthBetween(0, 10)
                    .map(ConfigPropertyTest::withoutSurrogates) : sample(k)).ofSizeBetween(0, 4).map(v -> (Object) v);
        };
        if (k.optional()) {
            Gen<Object> empty = Generate.constant(Optional.empty());
            return Generate.oneOf(empty, a.map(v -> (Object) Optional.of(v)));
        }
        return a;
    }

    private static String withoutSurrogates(String s) {
        return s.chars().mapToObj(c -> Character.isSurrogate((char) c) ? "?" : String.valueOf((char) c))
                .reduce("", String::concat);
    }

    private static Gen<String> sample(KeySpec k) {
        return switch (k.format()) {
            case HOST -> Generate.pick(List.of("127.0.0.1", "::", "node.example", "0.0.0.0"));
            case ENDPOINT -> Generate.pick(List.of("mix.example:4443", "[2001:db8::1]:443", "10.1.2.3:9"));
            case CIDR -> Generate.pick(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.7", "0.0.0.0/0"));
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
