package org.aivillage.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.aivillage.config.UserException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * What every {@code village} command shares: the process environment (replaceable in tests) and
 * the translation of exceptions into one line on stderr plus an exit code.
 *
 * <ul>
 *   <li>{@link UserException} (and {@link org.aivillage.config.ConfigException}):
 *       {@code village: <message>} per line, exit {@value #EXIT_USER_ERROR}; never a stack trace.
 *   <li>Command-line mistakes (unknown option, missing argument): {@code village: <message>}, exit
 *       {@value #EXIT_USER_ERROR}.
 *   <li>Anything else is a bug: one line naming it and a hint to rerun with {@code --verbose} (or
 *       {@code VILLAGE_VERBOSE=1}) for the stack trace, exit {@value #EXIT_INTERNAL_ERROR}.
 * </ul>
 */
public final class CliSupport {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_USER_ERROR = 2;
    /** Environment variable that turns on stack traces, like {@code --verbose}. */
    public static final String VERBOSE_ENV = "VILLAGE_VERBOSE";

    private CliSupport() {}

    /**
     * The environment a command runs in.
     *
     * @param variables environment variables
     * @param workingDirectory where relative paths start; {@code Path.of("")} leaves them as given
     */
    public record Environment(Map<String, String> variables, Path workingDirectory) {
        public Environment {
            variables = Map.copyOf(variables);
            Objects.requireNonNull(workingDirectory, "workingDirectory");
        }

        /** The real process environment and working directory. */
        public static Environment system() {
            return new Environment(System.getenv(), Path.of(""));
        }

        /** A path as the user typed it, resolved against the working directory. */
        public Path resolve(Path path) {
            return workingDirectory.resolve(path);
        }
    }

    /** The environment of the {@link Village} at the root of this command's tree. */
    public static Environment environment(CommandSpec spec) {
        return spec.root().userObject() instanceof Village v ? v.environment() : Environment.system();
    }

    static int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof UserException) {
            printLines(err, ex.getMessage());
            err.flush();
            return EXIT_USER_ERROR;
        }
        if (verbose(cmd, parseResult)) {
            ex.printStackTrace(err);
        } else {
            String message = ex.getMessage() == null ? "" : ": " + ex.getMessage().lines().findFirst().orElse("");
            err.println("village: internal error: " + ex.getClass().getName() + message);
            err.println("village: run with --verbose (or " + VERBOSE_ENV + "=1) for the stack trace");
        }
        err.flush();
        return EXIT_INTERNAL_ERROR;
    }

    static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        printLines(err, ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("village: see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return EXIT_USER_ERROR;
    }

    private static void printLines(PrintWriter err, String message) {
        String text = message == null || message.isBlank() ? "error" : message;
        text.lines().forEach(line -> err.println("village: " + line));
    }

    private static boolean verbose(CommandLine cmd, ParseResult parseResult) {
        if ("1".equals(environment(cmd.getCommandSpec()).variables().get(VERBOSE_ENV))) {
            return true;
        }
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
