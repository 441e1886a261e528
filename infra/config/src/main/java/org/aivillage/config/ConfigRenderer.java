package org.aivillage.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.aivillage.config.internal.KeySpec;
import org.aivillage.config.internal.Schema;
import org.tomlj.Toml;

/**
 * Writes configurations as text: the effective configuration as TOML ({@link #toToml}), the
 * commented default file ({@link #defaultFile}) and the Markdown key reference
 * ({@link #markdownReference}). All three come from the same schema, so they cannot drift apart.
 */
public final class ConfigRenderer {
    private ConfigRenderer() {}

    /**
     * The configuration as valid TOML, every key written out, secrets as {@code "<redacted>"}, unset
     * optional keys as comments.
     *
     * @param headerComment written as {@code # ...} lines at the top; may be empty
     */
    public static String toToml(VillageConfig config, String headerComment) {
        StringBuilder sb = new StringBuilder();
        comment(sb, headerComment);
        Schema schema = Schema.instance();
        for (Schema.SectionSpec s : schema.sections()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append('[').append(s.name()).append("]\n");
            Record section = schema.sectionOf(config, s);
            for (KeySpec k : s.keys()) {
                Object value = read(k, section);
                if (value instanceof Optional<?> o && o.isEmpty()) {
                    sb.append("# ").append(k.name()).append(" is not set\n");
                } else {
                    sb.append(k.name()).append(" = ").append(literal(k, value, true)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /**
     * The file {@code village config init} writes: every section and key with its default and a
     * one-line comment; unset optional keys are commented out.
     */
    public static String defaultFile() {
        StringBuilder sb = new StringBuilder();
        comment(sb, """
                AIVillage configuration. Every key is shown with its default value; delete what you \
                do not change.
                Reference: docs/configuration.md. Check a file with: village config validate FILE
                Load order: --config FILE, then $VILLAGE_CONFIG, then ./village.toml, then defaults.""");
        for (Schema.SectionSpec s : Schema.instance().sections()) {
            sb.append('\n');
            comment(sb, s.doc());
            sb.append('[').append(s.name()).append("]\n");
            for (KeySpec k : s.keys()) {
                comment(sb, k.doc() + hint(k));
                if (k.defaultValue() instanceof Optional<?> o && o.isEmpty()) {
                    sb.append("# ").append(k.name()).append(" = \"\"\n");
                } else {
                    sb.append(k.name()).append(" = ").append(literal(k, k.defaultValue(), false)).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** The Markdown tables of every section and key (the generated part of docs/configuration.md). */
    public static String markdownReference() {
        StringBuilder sb = new StringBuilder();
        for (Schema.SectionSpec s : Schema.instance().sections()) {
            sb.append("### `[").append(s.name()).append("]`\n\n").append(s.doc()).append("\n\n");
            sb.append("| Key | Type | Default | Description |\n|---|---|---|---|\n");
            for (KeySpec k : s.keys()) {
                String def = k.defaultValue() instanceof Optional<?> o && o.isEmpty()
                        ? "unset" : "`" + literal(k, k.defaultValue(), false) + "`";
                sb.append("| `").append(k.name()).append("` | ").append(cell(k.typeLabel()))
                        .append(" | ").append(cell(def)).append(" | ").append(cell(k.doc())).append(" |\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Every dotted key of the schema, in file order (for tests and tooling). */
    public static List<String> keys() {
        return Schema.instance().sections().stream().flatMap(s -> s.keys().stream()).map(KeySpec::dotted).toList();
    }

    private static String hint(KeySpec k) {
        return switch (k.kind()) {
            case INT, LONG, DOUBLE -> " Range " + k.expected().substring(k.expected().lastIndexOf(' ') + 1) + ".";
            case ENUM -> k.doc().contains(k.enumNames().getFirst()) ? "" : " One of " + String.join(", ", k.enumNames()) + ".";
            default -> "";
        };
    }

    private static Object read(KeySpec k, Record section) {
        try {
            return k.component().getAccessor().invoke(section);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String literal(KeySpec k, Object value, boolean redact) {
        Object v = value instanceof Optional<?> o ? o.orElseThrow() : value;
        return switch (v) {
            case Secret s -> redact ? string(Secret.REDACTED) : string("");
            case String s -> string(s);
            case Path p -> string(p.toString());
            case Enum<?> e -> string(KeySpec.tomlName(e));
            case Double d -> d == Math.rint(d) && Math.abs(d) < 1e15 ? ((long) (double) d) + ".0" : d.toString();
            case List<?> list -> list.stream().map(x -> string((String) x))
                    .reduce((a, b) -> a + ", " + b).map(x -> "[" + x + "]").orElse("[]");
            default -> String.valueOf(v); // booleans, integers
        };
    }

    private static String string(String s) {
        return "\"" + Toml.tomlEscape(s) + "\"";
    }

    private static void comment(StringBuilder sb, String text) {
        if (text.isEmpty()) {
            return;
        }
        for (String line : text.split("\\R")) {
            sb.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }
}
