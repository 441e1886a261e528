package org.aivillage.config.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.aivillage.config.ConfigError;
import org.tomlj.TomlPosition;

/** Collects the errors of one file, bounded so a garbage file cannot produce an endless report. */
public final class Problems {
    /** Errors kept per file; further ones are summarised in one last line. */
    public static final int MAX = 100;

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private int dropped;

    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void add(TomlPosition at, String key, String message) {
        int line = at == null ? 0 : at.line();
        int column = at == null ? 0 : at.column();
        if (errors.size() >= MAX) {
            dropped++;
            return;
        }
        errors.add(new ConfigError(file, line, column, key, message));
    }

    public boolean any() {
        return !errors.isEmpty();
    }

    /** The errors in file order, with a last line counting the ones not kept. */
    public List<ConfigError> list() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        if (dropped > 0) {
            sorted.add(new ConfigError(file, 0, 0, "", dropped + " more errors not shown"));
        }
        return sorted;
    }
}
