package org.aivillage.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aivillage.config.internal.Binder;
import org.aivillage.config.internal.Problems;
import org.aivillage.config.internal.Schema;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * Finds, reads and validates the configuration.
 *
 * <p>Load order (first match wins): the file given with {@code --config}, the file named by
 * {@code VILLAGE_CONFIG}, {@code ./village.toml}, else defaults only. A file named explicitly
 * (first two steps) must exist. Every problem of a file is reported at once in one
 * {@link ConfigException}; nothing here throws anything else for bad input.
 */
public final class ConfigLoader {
    /** The environment variable naming a configuration file. */
    public static final String ENV_VAR = "VILLAGE_CONFIG";
    /** The file looked for in the working directory. */
    public static final String DEFAULT_FILE_NAME = "village.toml";
    /** Files larger than this are refused (a configuration is a few kilobytes). */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private ConfigLoader() {}

    /** Applies the load order with the process environment and working directory. */
    public static LoadedConfig load(Path explicitFile) {
        return load(explicitFile, System.getenv(), Path.of(""));
    }

    /**
     * Applies the load order.
     *
     * @param explicitFile the {@code --config} argument, or null
     * @param environment environment variables (only {@link #ENV_VAR} is read)
     * @param workingDirectory where {@code village.toml} is looked for and relative paths start
     *     ({@code Path.of("")} for the process's working directory, leaving paths as given)
     */
    public static LoadedConfig load(Path explicitFile, Map<String, String> environment, Path workingDirectory) {
        if (explicitFile != null) {
            Path p = workingDirectory.resolve(explicitFile);
            return new LoadedConfig(read(p), LoadedConfig.Origin.COMMAND_LINE, java.util.Optional.of(p));
        }
        String fromEnv = environment.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p;
            try {
                p = workingDirectory.resolve(fromEnv);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException(new ConfigError(ENV_VAR, 0, 0, "", "not a valid path: " + e.getReason()));
            }
            return new LoadedConfig(read(p), LoadedConfig.Origin.ENVIRONMENT, java.util.Optional.of(p));
        }
        Path local = workingDirectory.resolve(DEFAULT_FILE_NAME);
        if (Files.isRegularFile(local)) {
            return new LoadedConfig(read(local), LoadedConfig.Origin.WORKING_DIRECTORY, java.util.Optional.of(local));
        }
        return new LoadedConfig(VillageConfig.defaults(), LoadedConfig.Origin.DEFAULTS, java.util.Optional.empty());
    }

    /** Reads and validates one file; a missing or unreadable file is a {@link ConfigException}. */
    public static VillageConfig read(Path file) {
        String name = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(new ConfigError(name, 0, 0, "", "no such file"));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError(name, 0, 0, "", "cannot read: " + e.getMessage()));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(new ConfigError(name, 0, 0, "",
                    "file is larger than " + (MAX_FILE_BYTES >> 10) + " KiB; is it really a configuration file?"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(new ConfigError(name, 0, 0, "", "not valid UTF-8 text"));
        }
        return parse(text, name);
    }

    /**
     * Parses and validates TOML text.
     *
     * @param sourceName what error messages call the text (usually the file name)
     */
    public static VillageConfig parse(String text, String sourceName) {
        Objects.requireNonNull(text, "text");
        Problems problems = new Problems(sourceName);
        TomlParseResult result;
        try {
            result = Toml.parse(text);
        } catch (StackOverflowError | RuntimeException e) {
            // The parser recurses per nesting level; absurdly deep nesting must not escape as a crash.
            throw new ConfigException(new ConfigError(sourceName, 0, 0, "", "cannot parse: nesting too deep"));
        }
        if (result.hasErrors()) {
            String[] lines = text.split("\\R", -1);
            for (TomlParseError e : result.errors()) {
                problems.add(e.position(), "", "syntax error: " + syntaxMessage(e, lines));
            }
            throw new ConfigException(problems.list());
        }
        return new Binder(Schema.instance()).bind(result, problems);
    }

    /**
     * The parser's message, unless the line assigns a secret key: the parser quotes the offending
     * input, and that may be the secret itself (e.g. an unquoted passphrase).
     */
    private static String syntaxMessage(TomlParseError e, String[] lines) {
        int line = e.position() == null ? 0 : e.position().line();
        if (line >= 1 && line <= lines.length && SECRET_ASSIGNMENT.matcher(lines[line - 1]).lookingAt()) {
            return "malformed value of a secret key (details not shown)";
        }
        return e.getMessage();
    }

    private static final java.util.regex.Pattern SECRET_ASSIGNMENT = java.util.regex.Pattern.compile(
            "\\s*(?:[A-Za-z0-9_.\"' -]*\\.)?[\"']?(?:" + String.join("|", Schema.instance().sections().stream()
                    .flatMap(s -> s.keys().stream()).filter(org.aivillage.config.internal.KeySpec::secret)
                    .map(k -> k.name()).distinct().toList()) + ")[\"']?\\s*=");

    /** Validates the text and returns every problem found (empty when it is valid). */
    public static List<ConfigError> validate(String text, String sourceName) {
        try {
            parse(text, sourceName);
            return List.of();
        } catch (ConfigException e) {
            return e.errors();
        }
    }
}
