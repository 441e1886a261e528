package org.aivillage.config;

import java.nio.file.Path;
import java.util.Optional;

/** {@code [global]}: settings every component shares. */
@Section(value = "global", doc = "Settings shared by every component of this node.")
public record GlobalConfig(
        @Key(doc = "Node identifier shown to peers and in logs; unset = derived from the node's identity key.")
        Optional<String> nodeId,

        @Key(doc = "Directory for databases, keys and queues (relative paths start at the working directory).",
                def = "data")
        Path dataDir,

        @Key(doc = "Deployment environment; components may apply stricter checks in production.",
                def = "development")
        Environment environment) {

    /** Deployment environment. */
    public enum Environment { DEVELOPMENT, PRODUCTION }

    /** {@code path} when set, else {@code dataDir/subdirectory}. */
    public Path resolveDataPath(Optional<Path> path, String subdirectory) {
        return path.orElseGet(() -> dataDir.resolve(subdirectory));
    }
}
