package org.aivillage.config.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.aivillage.config.ConfigException;
import org.aivillage.config.VillageConfig;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Binds a parsed TOML document to {@link VillageConfig}: walks every table, binds known keys,
 * reports unknown ones with the closest known name, fills the rest from defaults. Collects all
 * problems and throws one {@link ConfigException} at the end.
 */
public final class Binder {
    private final Schema schema;
    private final Set<String> prefixes = new HashSet<>();

    public Binder(Schema schema) {
        this.schema = schema;
        for (Schema.SectionSpec s : schema.sections()) {
            List<String> path = s.path();
            for (int i = 1; i < path.size(); i++) {
                prefixes.add(Toml.joinKeyPath(path.subList(0, i)));
            }
        }
    }

    public VillageConfig bind(TomlTable root, Problems problems) {
        List<Schema.SectionSpec> sections = schema.sections();
        Object[] values = new Object[sections.size()];
        walk(root, List.of(), values, problems);
        if (problems.any()) {
            throw new ConfigException(problems.list());
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                values[i] = schema.sectionOf(schema.defaults(), sections.get(i));
            }
        }
        return schema.root(values);
    }

    private void walk(TomlTable table, List<String> path, Object[] values, Problems problems) {
        for (Map.Entry<String, Object> e : table.entrySet()) {
            List<String> childPath = append(path, e.getKey());
            String dotted = dotted(childPath);
            Object value = e.getValue();
            TomlPosition at = table.inputPositionOf(List.of(e.getKey()));
            Optional<Schema.SectionSpec> section = schema.section(dotted);
            if (section.isPresent()) {
                if (value instanceof TomlTable t) {
                    values[schema.sections().indexOf(section.get())] = bindSection(section.get(), t, problems);
                } else {
                    problems.add(at, dotted, "expected a table [" + dotted + "], got " + Values.describe(value));
                }
            } else if (prefixes.contains(dotted)) {
                if (value instanceof TomlTable t) {
                    walk(t, childPath, values, problems);
                } else {
                    problems.add(at, dotted, "expected a table holding " + sectionsUnder(dotted)
                            + ", got " + Values.describe(value));
                }
            } else if (value instanceof TomlTable t && !t.isEmpty()
                    && t.entrySet().stream().allMatch(x -> x.getValue() instanceof TomlTable)) {
                // [netwrk.dtn] creates an implicit table "netwrk": name the sections the user wrote.
                unknownParent(t, childPath, problems);
            } else if (value instanceof TomlTable || value instanceof TomlArray a && !a.isEmpty() && a.get(0) instanceof TomlTable) {
                problems.add(at, dotted, "unknown section" + suggestion(closestSection(path, e.getKey())));
            } else {
                problems.add(at, dotted, "unknown key" + suggestion(closestKey(e.getKey(), dotted, null)));
            }
        }
    }

    private void unknownParent(TomlTable table, List<String> path, Problems problems) {
        for (Map.Entry<String, Object> e : table.entrySet()) {
            List<String> childPath = append(path, e.getKey());
            String dotted = dotted(childPath);
            if (e.getValue() instanceof TomlTable t && !t.isEmpty() && childPath.size() < 8
                    && t.entrySet().stream().allMatch(x -> x.getValue() instanceof TomlTable)) {
                unknownParent(t, childPath, problems);
            } else {
                problems.add(table.inputPositionOf(List.of(e.getKey())), dotted,
                        "unknown section" + suggestion(EditDistance.closest(dotted, tableNames())));
            }
        }
    }

    private Record bindSection(Schema.SectionSpec spec, TomlTable table, Problems problems) {
        List<KeySpec> keys = spec.keys();
        Object[] values = new Object[keys.size()];
        boolean ok = true;
        for (Map.Entry<String, Object> e : table.entrySet()) {
            String name = e.getKey();
            TomlPosition at = table.inputPositionOf(List.of(name));
            int index = indexOf(keys, name);
            if (index < 0) {
                String dotted = spec.name() + "." + Toml.joinKeyPath(List.of(name));
                String what = e.getValue() instanceof TomlTable ? "unknown table" : "unknown key";
                problems.add(at, dotted, what + suggestion(closestKey(name, dotted, spec)));
                ok = false;
                continue;
            }
            Object v = Values.convert(keys.get(index), e.getValue(), at, problems);
            if (v == null) {
                ok = false;
            } else {
                values[index] = v;
            }
        }
        if (!ok) {
            return null;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (values[i] == null) {
                values[i] = keys.get(i).defaultValue();
            }
        }
        return spec.construct(values);
    }

    /**
     * The best guess for a mistyped key: a close key of the same section, else the same name in
     * another section, else the closest dotted key overall.
     */
    private Optional<String> closestKey(String name, String dotted, Schema.SectionSpec in) {
        if (in != null) {
            Optional<String> local = EditDistance.closest(name, in.keys().stream().map(KeySpec::name).toList());
            if (local.isPresent()) {
                return Optional.of(in.name() + "." + local.get());
            }
        }
        List<String> all = new ArrayList<>();
        for (Schema.SectionSpec s : schema.sections()) {
            for (KeySpec k : s.keys()) {
                if (k.name().equals(name)) {
                    return Optional.of(k.dotted());
                }
                all.add(k.dotted());
            }
        }
        return EditDistance.closest(dotted, all);
    }

    private static String suggestion(Optional<String> near) {
        return near.map(n -> "; did you mean " + n + "?").orElse("");
    }

    /** Under a known parent ([network.x]) compare with its sections' last names only, else whole names. */
    private Optional<String> closestSection(List<String> parent, String name) {
        if (parent.isEmpty()) {
            return EditDistance.closest(name, tableNames());
        }
        String prefix = dotted(parent) + ".";
        List<String> siblings = schema.sections().stream().map(Schema.SectionSpec::name)
                .filter(n -> n.startsWith(prefix)).map(n -> n.substring(prefix.length())).toList();
        return EditDistance.closest(name, siblings).map(n -> prefix + n);
    }

    private List<String> tableNames() {
        List<String> names = new ArrayList<>(schema.sections().stream().map(Schema.SectionSpec::name).toList());
        names.addAll(prefixes);
        return names;
    }

    private String sectionsUnder(String prefix) {
        return String.join(", ", schema.sections().stream().map(Schema.SectionSpec::name)
                .filter(n -> n.startsWith(prefix + ".")).map(n -> "[" + n + "]").toList());
    }

    private static int indexOf(List<KeySpec> keys, String name) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return out;
    }

    private static String dotted(List<String> path) {
        return Toml.joinKeyPath(path);
    }
}
