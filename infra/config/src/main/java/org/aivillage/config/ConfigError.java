package org.aivillage.config;

/**
 * One problem in a configuration file.
 *
 * @param file the file name as the user gave it (or {@code "<defaults>"} / a label for text)
 * @param line 1-based line, 0 when the problem has no position (e.g. the file cannot be read)
 * @param column 1-based column, 0 when unknown
 * @param key the dotted key or section ({@code network.dtn.spray_copies}), empty when none applies
 * @param message what was expected and what was found; never contains a secret value
 */
public record ConfigError(String file, int line, int column, String key, String message) {

    /** {@code village.toml:12:1: network.dtn.spray_copies: expected an integer 1..1024, got "many"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (!key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }
}
