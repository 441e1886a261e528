package org.aivillage.cli.keys;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** The mutually exclusive passphrase options: {@code --passphrase-file F} or {@code --ask}. */
public final class Passphrases {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the passphrase from the first line of FILE.")
    Path file;

    @Option(names = "--ask", description = "Prompt for the passphrase on the terminal.")
    boolean ask;

    /** Thrown with a message for the user; the command exits with {@link KeysCommand#EXIT_PASSPHRASE}. */
    static final class PassphraseException extends Exception {
        PassphraseException(String message) {
            super(message);
        }
    }

    /** The passphrase, or null when neither option was given. */
    char[] read(boolean confirm) throws PassphraseException {
        if (file != null) {
            byte[] raw;
            try {
                raw = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new PassphraseException("cannot read passphrase file " + file + ": " + e.getClass().getSimpleName());
            }
            try {
                CharBuffer cb = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw));
                int end = 0;
                while (end < cb.limit() && cb.get(end) != '\n' && cb.get(end) != '\r') {
                    end++;
                }
                char[] out = Arrays.copyOf(cb.array(), end);
                Arrays.fill(cb.array(), '\0');
                if (out.length == 0) {
                    throw new PassphraseException("passphrase file " + file + " is empty");
                }
                return out;
            } catch (CharacterCodingException e) {
                throw new PassphraseException("passphrase file " + file + " is not UTF-8 text");
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        if (ask) {
            Console console = System.console();
            if (console == null) {
                throw new PassphraseException("--ask needs a terminal; use --passphrase-file instead");
            }
            char[] first = console.readPassword("Passphrase: ");
            if (first == null || first.length == 0) {
                throw new PassphraseException("empty passphrase");
            }
            if (confirm) {
                char[] second = console.readPassword("Repeat passphrase: ");
                boolean same = Arrays.equals(first, second);
                if (second != null) {
                    Arrays.fill(second, '\0');
                }
                if (!same) {
                    Arrays.fill(first, '\0');
                    throw new PassphraseException("the passphrases do not match");
                }
            }
            return first;
        }
        return null;
    }
}
