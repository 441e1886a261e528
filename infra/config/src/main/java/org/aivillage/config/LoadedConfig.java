package org.aivillage.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A configuration and where it came from.
 *
 * @param config the effective configuration
 * @param origin which step of the load order supplied it
 * @param file the file read, empty for {@link Origin#DEFAULTS}
 */
public record LoadedConfig(VillageConfig config, Origin origin, Optional<Path> file) {

    /** The steps of the load order, first match wins. */
    public enum Origin {
        /** {@code --config FILE} on the command line. */
        COMMAND_LINE,
        /** The file named by the environment variable {@code VILLAGE_CONFIG}. */
        ENVIRONMENT,
        /** {@code ./village.toml} in the working directory. */
        WORKING_DIRECTORY,
        /** No file: every key at its default. */
        DEFAULTS
    }

    /** E.g. {@code village.toml (--config)} or {@code defaults (no configuration file)}. */
    public String describe() {
        return switch (origin) {
            case COMMAND_LINE -> file.orElseThrow() + " (--config)";
            case ENVIRONMENT -> file.orElseThrow() + " (" + ConfigLoader.ENV_VAR + ")";
            case WORKING_DIRECTORY -> file.orElseThrow() + " (working directory)";
            case DEFAULTS -> "defaults (no configuration file)";
        };
    }
}
