package org.aivillage.config.internal;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.aivillage.config.Format;
import org.aivillage.config.Range;

/**
 * One key of the schema, derived from a record component and its annotations.
 *
 * @param section dotted section name ({@code network.dtn})
 * @param name TOML key name ({@code spray_copies})
 * @param component the record component it binds to
 * @param kind the value type
 * @param optional whether the component is an {@code Optional}
 * @param enumConstants enum constants for {@link Kind#ENUM}, else empty
 * @param doc one-line documentation
 * @param range bounds for numbers, null otherwise
 * @param format text format for strings and string lists, null when free-form
 * @param defaultValue the bound default (already wrapped in Optional when optional)
 */
public record KeySpec(
        String section,
        String name,
        RecordComponent component,
        Kind kind,
        boolean optional,
        List<? extends Enum<?>> enumConstants,
        String doc,
        Range range,
        Format.Kind format,
        Object defaultValue) {

    /** Value types a key can have. */
    public enum Kind { BOOLEAN, INT, LONG, DOUBLE, STRING, PATH, SECRET, ENUM, STRING_LIST }

    /** Upper bound on entries in a string array key. */
    public static final int MAX_LIST_ENTRIES = 10_000;

    public String dotted() {
        return section + "." + name;
    }

    public boolean secret() {
        return kind == Kind.SECRET;
    }

    /** TOML spelling of an enum constant: its name in lower case. */
    public static String tomlName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    public List<String> enumNames() {
        return enumConstants.stream().map(KeySpec::tomlName).toList();
    }

    /** What a valid value looks like, for "expected ..." messages, e.g. {@code an integer 1..1024}. */
    public String expected() {
        return switch (kind) {
            case BOOLEAN -> "true or false";
            case INT, LONG -> "an integer " + rangeText();
            case DOUBLE -> "a number " + rangeText();
            case STRING -> format == null ? "a string" : Formats.expected(format);
            case PATH -> "a path (a non-empty string)";
            case SECRET -> "a string";
            case ENUM -> "one of " + String.join(", ", enumNames());
            case STRING_LIST -> format == null
                    ? "an array of strings"
                    : "an array of strings, each " + Formats.expected(format);
        };
    }

    /** Short type description for the reference, e.g. {@code integer 1..1024}. */
    public String typeLabel() {
        String base = switch (kind) {
            case BOOLEAN -> "boolean";
            case INT, LONG -> "integer " + rangeText();
            case DOUBLE -> "number " + rangeText();
            case STRING -> format == null ? "string" : "string (" + Formats.expected(format) + ")";
            case PATH -> "path";
            case SECRET -> "string, secret";
            case ENUM -> enumConstants.stream().map(KeySpec::tomlName).collect(Collectors.joining(" | "));
            case STRING_LIST -> format == null
                    ? "array of strings"
                    : "array of strings (" + Formats.expected(format) + ")";
        };
        return optional ? base + ", optional" : base;
    }

    String rangeText() {
        return number(range.min()) + ".." + number(range.max());
    }

    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    @Override
    public String toString() {
        return dotted() + " (" + typeLabel() + ")" + (enumConstants.isEmpty() ? "" : Arrays.toString(enumConstants.toArray()));
    }
}
