package org.aivillage.config.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.aivillage.config.ConfigException;
import org.aivillage.config.Format;
import org.aivillage.config.Key;
import org.aivillage.config.Range;
import org.aivillage.config.Secret;
import org.aivillage.config.Section;
import org.aivillage.config.VillageConfig;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The configuration schema, read once by reflection from {@link VillageConfig}'s components (one
 * per section) and each section record's annotated components (one per key). Building it checks
 * every annotation and default, so a mistake in a section record fails at the first use.
 */
public final class Schema {

    /** One section: its dotted name, record type and keys in declaration order. */
    public record SectionSpec(
            String name, List<String> path, String doc, Class<? extends Record> type,
            Constructor<? extends Record> constructor, RecordComponent rootComponent, List<KeySpec> keys) {

        /** Builds the record from values in key order. */
        Record construct(Object[] values) {
            try {
                return constructor.newInstance(values);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("constructor of " + type.getSimpleName() + " failed", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        Object valueOf(Record section, KeySpec key) {
            return Schema.read(key.component(), section);
        }
    }

    private static final class Holder {
        static final Schema INSTANCE = new Schema();
    }

    private final List<SectionSpec> sections;
    private final Map<String, SectionSpec> byName = new LinkedHashMap<>();
    private final Constructor<VillageConfig> rootConstructor;
    private final VillageConfig defaults;

    private Schema() {
        List<SectionSpec> list = new ArrayList<>();
        for (RecordComponent rc : VillageConfig.class.getRecordComponents()) {
            list.add(section(rc));
        }
        sections = List.copyOf(list);
        for (SectionSpec s : sections) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalStateException("section [" + s.name() + "] declared twice");
            }
        }
        try {
            rootConstructor = VillageConfig.class.getDeclaredConstructor(
                    Arrays.stream(VillageConfig.class.getRecordComponents()).map(RecordComponent::getType)
                            .toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        Object[] values = new Object[sections.size()];
        for (int i = 0; i < values.length; i++) {
            SectionSpec s = sections.get(i);
            values[i] = s.construct(s.keys().stream().map(KeySpec::defaultValue).toArray());
        }
        defaults = root(values);
    }

    public static Schema instance() {
        return Holder.INSTANCE;
    }

    public List<SectionSpec> sections() {
        return sections;
    }

    public Optional<SectionSpec> section(String dottedName) {
        return Optional.ofNullable(byName.get(dottedName));
    }

    public VillageConfig defaults() {
        return defaults;
    }

    public Object sectionValue(VillageConfig config, Class<?> type) {
        for (SectionSpec s : sections) {
            if (s.type() == type) {
                return read(s.rootComponent(), config);
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a section of VillageConfig");
    }

    public Record sectionOf(VillageConfig config, SectionSpec spec) {
        return (Record) read(spec.rootComponent(), config);
    }

    VillageConfig root(Object[] sectionValues) {
        try {
            return rootConstructor.newInstance(sectionValues);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static Object read(RecordComponent rc, Object owner) {
        try {
            return rc.getAccessor().invoke(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static SectionSpec section(RecordComponent rootComponent) {
        Class<?> type = rootComponent.getType();
        Section section = type.getAnnotation(Section.class);
        if (!type.isRecord() || section == null) {
            throw new IllegalStateException(type.getName() + " must be a record annotated with @Section");
        }
        String name = section.value();
        List<String> path = Toml.parseDottedKey(name);
        List<KeySpec> keys = new ArrayList<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            keys.add(key(name, rc));
        }
        try {
            Constructor<? extends Record> ctor = (Constructor<? extends Record>) type.getDeclaredConstructor(
                    Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return new SectionSpec(name, path, section.doc(), (Class<? extends Record>) type, ctor, rootComponent,
                    List.copyOf(keys));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeySpec key(String section, RecordComponent rc) {
        String where = section + "." + snake(rc.getName());
        Key key = rc.getAnnotation(Key.class);
        if (key == null) {
            throw new IllegalStateException(where + ": record component needs @Key");
        }
        Type generic = rc.getGenericType();
        boolean optional = false;
        if (rc.getType() == Optional.class) {
            optional = true;
            generic = ((ParameterizedType) generic).getActualTypeArguments()[0];
        }
        KeySpec.Kind kind;
        List<? extends Enum<?>> constants = List.of();
        if (generic == boolean.class) {
            kind = KeySpec.Kind.BOOLEAN;
        } else if (generic == int.class) {
            kind = KeySpec.Kind.INT;
        } else if (generic == long.class) {
            kind = KeySpec.Kind.LONG;
        } else if (generic == double.class) {
            kind = KeySpec.Kind.DOUBLE;
        } else if (generic == String.class) {
            kind = KeySpec.Kind.STRING;
        } else if (generic == Path.class) {
            kind = KeySpec.Kind.PATH;
        } else if (generic == Secret.class) {
            kind = KeySpec.Kind.SECRET;
        } else if (generic instanceof Class<?> c && c.isEnum()) {
            kind = KeySpec.Kind.ENUM;
            constants = Arrays.stream(c.getEnumConstants()).map(o -> (Enum<?>) o).toList();
        } else if (generic instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == String.class) {
            kind = KeySpec.Kind.STRING_LIST;
        } else {
            throw new IllegalStateException(where + ": unsupported type " + generic.getTypeName());
        }
        if (optional && !(kind == KeySpec.Kind.STRING || kind == KeySpec.Kind.PATH || kind == KeySpec.Kind.SECRET)) {
            throw new IllegalStateException(where + ": Optional is supported for String, Path and Secret only");
        }
        if (kind == KeySpec.Kind.SECRET && !optional) {
            throw new IllegalStateException(where + ": secrets must be Optional<Secret> (no default secret)");
        }
        Range range = rc.getAnnotation(Range.class);
        boolean numeric = kind == KeySpec.Kind.INT || kind == KeySpec.Kind.LONG || kind == KeySpec.Kind.DOUBLE;
        if (numeric != (range != null)) {
            throw new IllegalStateException(where + ": @Range is required on numbers and only allowed there");
        }
        if (range != null && kind == KeySpec.Kind.INT
                && (range.min() < Integer.MIN_VALUE || range.max() > Integer.MAX_VALUE)) {
            throw new IllegalStateException(where + ": @Range exceeds int");
        }
        Format format = rc.getAnnotation(Format.class);
        if (format != null && kind != KeySpec.Kind.STRING && kind != KeySpec.Kind.STRING_LIST) {
            throw new IllegalStateException(where + ": @Format applies to strings and string arrays only");
        }
        KeySpec partial = new KeySpec(section, snake(rc.getName()), rc, kind, optional, constants, key.doc(), range,
                format == null ? null : format.value(), null);
        Object def = bindDefault(partial, key.def());
        return new KeySpec(partial.section(), partial.name(), rc, kind, optional, constants, key.doc(), range,
                partial.format(), def);
    }

    /** Reads the default text as a TOML literal of the key's type and binds it like a file value. */
    private static Object bindDefault(KeySpec key, String def) {
        String literal = switch (key.kind()) {
            case BOOLEAN, INT, LONG, DOUBLE -> def;
            case STRING, PATH, SECRET, ENUM -> "\"" + Toml.tomlEscape(def) + "\"";
            case STRING_LIST -> def.isBlank() ? "[]" : Arrays.stream(def.split(","))
                    .map(s -> "\"" + Toml.tomlEscape(s.strip()) + "\"")
                    .reduce((a, b) -> a + ", " + b).map(s -> "[" + s + "]").orElse("[]");
        };
        TomlParseResult parsed = Toml.parse("v = " + literal);
        if (parsed.hasErrors()) {
            throw new IllegalStateException(key.dotted() + ": default \"" + def + "\" is not a valid " + key.kind());
        }
        Problems problems = new Problems("<default of " + key.dotted() + ">");
        Object value = Values.convert(key, parsed.get(List.of("v")), parsed.inputPositionOf(List.of("v")), problems);
        if (problems.any()) {
            throw new IllegalStateException("bad default: " + new ConfigException(problems.list()).getMessage());
        }
        return value;
    }

    /** {@code sprayCopies} → {@code spray_copies}; {@code kPaths} → {@code k_paths}. */
    public static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
