package org.aivillage.config.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.aivillage.config.Secret;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/** Converts one parsed TOML value to the Java type of a key, reporting problems instead of throwing. */
final class Values {
    private Values() {}

    /** The converted value (wrapped in Optional for optional keys), or null after reporting a problem. */
    static Object convert(KeySpec key, Object raw, TomlPosition at, Problems problems) {
        String dotted = key.dotted();
        switch (key.kind()) {
            case BOOLEAN -> {
                if (raw instanceof Boolean b) {
                    return b;
                }
            }
            case INT, LONG -> {
                if (raw instanceof Long l && l >= key.range().min() && l <= key.range().max()) {
                    return key.kind() == KeySpec.Kind.INT ? (Object) (int) (long) l : l;
                }
            }
            case DOUBLE -> {
                double d = raw instanceof Long l ? l : raw instanceof Double x ? x : Double.NaN;
                if (Double.isFinite(d) && d >= key.range().min() && d <= key.range().max()) {
                    return d;
                }
            }
            case STRING, PATH, SECRET, ENUM -> {
                if (raw instanceof String s) {
                    return text(key, s, at, problems);
                }
            }
            case STRING_LIST -> {
                if (raw instanceof TomlArray array) {
                    return list(key, array, problems);
                }
            }
        }
        problems.add(at, dotted, "expected " + key.expected() + ", got " + (key.secret() ? kind(raw) : describe(raw)));
        return null;
    }

    private static Object text(KeySpec key, String s, TomlPosition at, Problems problems) {
        if (key.optional() && s.isEmpty()) {
            return Optional.empty();
        }
        Object value = switch (key.kind()) {
            case STRING -> {
                if (key.format() != null) {
                    Optional<String> detail = Formats.check(key.format(), s);
                    if (detail.isPresent()) {
                        problems.add(at, key.dotted(), formatMessage(key, s, detail.get()));
                        yield null;
                    }
                }
                yield s;
            }
            case PATH -> {
                try {
                    yield s.isEmpty() ? null : Path.of(s);
                } catch (InvalidPathException e) {
                    yield null;
                }
            }
            case SECRET -> Secret.of(s);
            case ENUM -> key.enumConstants().stream().filter(c -> KeySpec.tomlName(c).equals(s)).findFirst()
                    .map(c -> (Object) c).orElse(null);
            default -> throw new IllegalStateException(key.kind().toString());
        };
        if (value == null) {
            if (key.kind() != KeySpec.Kind.STRING) {
                String message = "expected " + key.expected() + ", got " + quote(s);
                if (key.kind() == KeySpec.Kind.ENUM) {
                    Optional<String> near = EditDistance.closest(s.toLowerCase(java.util.Locale.ROOT), key.enumNames());
                    if (near.isPresent()) {
                        message += "; did you mean \"" + near.get() + "\"?";
                    }
                }
                problems.add(at, key.dotted(), message);
            }
            return null;
        }
        return key.optional() ? Optional.of(value) : value;
    }

    private static String formatMessage(KeySpec key, String s, String detail) {
        return "expected " + Formats.expected(key.format()) + ", got " + quote(s)
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    private static Object list(KeySpec key, TomlArray array, Problems problems) {
        if (array.size() > KeySpec.MAX_LIST_ENTRIES) {
            problems.add(array.inputPositionOf(0), key.dotted(),
                    "expected at most " + KeySpec.MAX_LIST_ENTRIES + " entries, got " + array.size());
            return null;
        }
        List<String> out = new ArrayList<>(array.size());
        boolean ok = true;
        for (int i = 0; i < array.size(); i++) {
            Object element = array.get(i);
            TomlPosition at = array.inputPositionOf(i);
            String where = key.dotted() + "[" + i + "]";
            if (!(element instanceof String s)) {
                problems.add(at, where, "expected a string, got " + describe(element));
                ok = false;
                continue;
            }
            if (key.format() != null) {
                Optional<String> detail = Formats.check(key.format(), s);
                if (detail.isPresent()) {
                    problems.add(at, where, formatMessage(key, s, detail.get()));
                    ok = false;
                    continue;
                }
            }
            out.add(s);
        }
        return ok ? List.copyOf(out) : null;
    }

    /** The TOML type of a value in words: "an integer", "a table", ... */
    static String kind(Object raw) {
        return switch (raw) {
            case null -> "nothing";
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a boolean";
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            case Temporal t -> "a date/time";
            default -> "a " + raw.getClass().getSimpleName();
        };
    }

    /** A value as the user wrote it (strings quoted, shortened), or its kind for composite values. */
    static String describe(Object raw) {
        return switch (raw) {
            case String s -> quote(s);
            case Long l -> l.toString();
            case Double d -> d.toString();
            case Boolean b -> b.toString();
            case Temporal t -> "the date/time " + t;
            default -> kind(raw);
        };
    }

    static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return "\"" + Toml.tomlEscape(shown) + "\"";
    }
}
