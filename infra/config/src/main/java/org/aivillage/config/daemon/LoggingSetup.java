package org.aivillage.config.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.aivillage.config.LoggingConfig;
import org.aivillage.config.UserException;
import org.slf4j.LoggerFactory;

/**
 * Configures logback from {@code [logging]}, programmatically (no logback.xml): the root level; a
 * log file rotated by size ({@code max_size_mb}, keeping {@code max_files} rotated files named
 * {@code FILE.1 .. FILE.n}) or else the console; text or JSON lines ({@code json = true}, logback's
 * {@link JsonEncoder}). Text lines carry SLF4J key-value pairs ({@code event=daemon_start ...}).
 * Replaces whatever logging configuration was active.
 */
public final class LoggingSetup {
    /** Pattern of text lines. {@code %kvp} prints SLF4J 2 key-value pairs. */
    public static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg %kvp%n";

    /** Which console stream to log to when no file is configured. */
    public enum Console {
        STDOUT,
        /** For the CLI: standard output stays for command output. */
        STDERR
    }

    private LoggingSetup() {}

    /**
     * Applies the configuration.
     *
     * @throws UserException when the log file's directory cannot be created
     */
    public static void configure(LoggingConfig config, Console console) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            LoggerFactory.getLogger(LoggingSetup.class)
                    .warn("SLF4J is not bound to logback; [logging] settings are ignored");
            return;
        }
        context.reset();
        Encoder<ILoggingEvent> encoder = config.json() ? json(context) : text(context);
        OutputStreamAppender<ILoggingEvent> appender;
        if (config.file().isPresent()) {
            appender = rollingFile(context, config, encoder);
        } else {
            ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
            c.setTarget(console == Console.STDERR ? "System.err" : "System.out");
            appender = c;
        }
        appender.setContext(context);
        appender.setName(config.file().isPresent() ? "file" : "console");
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level().name(), Level.INFO));
        root.addAppender(appender);
    }

    /** Console logging at the given level, text format: the CLI's setting before a config is read. */
    public static void configureConsole(LoggingConfig.Level level, Console console) {
        configure(new LoggingConfig(level, java.util.Optional.empty(), 100, 5, false), console);
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(
            LoggerContext context, LoggingConfig config, Encoder<ILoggingEvent> encoder) {
        Path file = config.file().orElseThrow().toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UserException("logging.file: cannot create directory " + file.getParent() + ": " + e.getMessage());
        }
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setAppend(true);

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(config.maxFiles());
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize((long) config.maxSizeMb() * FileSize.MB_COEFFICIENT));
        // logback looks at the file size at most once per increment (default: a minute, long enough
        // for a chatty daemon to overshoot max_size_mb many times); a stat call every 250 ms is cheap.
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(250));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        return appender;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder e = new PatternLayoutEncoder();
        e.setContext(context);
        e.setPattern(TEXT_PATTERN);
        e.start();
        return e;
    }

    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder e = new JsonEncoder();
        e.setContext(context);
        e.setWithSequenceNumber(false);
        e.setWithNanoseconds(false);
        e.setWithContext(false);
        e.setWithMessage(false);
        e.setWithArguments(false);
        e.setWithFormattedMessage(true);
        e.start();
        return e;
    }
}
