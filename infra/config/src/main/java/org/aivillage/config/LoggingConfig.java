package org.aivillage.config;

import java.nio.file.Path;
import java.util.Optional;

/** {@code [logging]}: what is logged and where. */
@Section(value = "logging", doc = "Logging: level, destination, rotation and format.")
public record LoggingConfig(
        @Key(doc = "Least severe level logged: trace, debug, info, warn, error or off.", def = "info")
        Level level,

        @Key(doc = "Log file; unset = the console (standard error for the CLI).")
        Optional<Path> file,

        @Key(doc = "Size at which the log file is rotated, in MB.", def = "100")
        @Range(min = 1, max = 100_000)
        int maxSizeMb,

        @Key(doc = "Rotated log files kept besides the active one.", def = "5")
        @Range(min = 1, max = 20)
        int maxFiles,

        @Key(doc = "Write one JSON object per line instead of text.", def = "false")
        boolean json) {

    /** Logging levels. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR, OFF }
}
