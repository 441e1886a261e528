package org.aivillage.vault.internal;

import java.util.List;
import java.util.Objects;
import org.aivillage.vault.PrivacyLevel;

/**
 * One operation of a change to a twin. JSON paths are lists of object keys from the root (arrays
 * are whole values: last writer wins on the entire array).
 */
public sealed interface CrdtOp {
    /** Sets the value at {@code path} (canonical JSON text); covers everything older below it. */
    record Put(List<String> path, String json) implements CrdtOp {
        public Put {
            path = List.copyOf(path);
            Objects.requireNonNull(json, "json");
            if (path.isEmpty()) {
                throw new IllegalArgumentException("a put needs a non-empty path");
            }
        }
    }

    /** Removes the key at {@code path} and everything older below it. */
    record Remove(List<String> path) implements CrdtOp {
        public Remove {
            path = List.copyOf(path);
            if (path.isEmpty()) {
                throw new IllegalArgumentException("a remove needs a non-empty path");
            }
        }
    }

    /** Sets the twin's privacy level (last writer wins). */
    record Privacy(PrivacyLevel level) implements CrdtOp {
        public Privacy {
            Objects.requireNonNull(level, "level");
        }
    }

    /** Erases the twin on every device (terminal: later operations on it are ignored). */
    record Erase() implements CrdtOp {}
}
