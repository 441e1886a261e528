package org.aivillage.config;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one exception of this module: a configuration that cannot be used. It carries every problem
 * found in the file ({@link #errors()}, sorted by position); the message is one line per problem,
 * each naming file, line, column, dotted key and what was expected. It never carries a secret
 * value and never needs a stack trace to be understood.
 */
public final class ConfigException extends UserException {
    @Serial private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public ConfigException(ConfigError error) {
        this(List.of(error));
    }

    /** Every problem found, in file order. */
    public List<ConfigError> errors() {
        return errors;
    }
}
