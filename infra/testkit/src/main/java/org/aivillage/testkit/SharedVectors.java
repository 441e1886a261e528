package org.aivillage.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared/vectors (the test vectors written by others) relative to the repository root.
 * The root comes from the system property {@code aivillage.repo.root} (set by surefire) or is found
 * by walking up from the working directory to the directory holding {@code mvnw}. A missing folder
 * is a test failure, never a skip.
 */
public final class SharedVectors {
    private SharedVectors() {}

    public static Path repositoryRoot() {
        String prop = System.getProperty("aivillage.repo.root");
        if (prop != null && !prop.isBlank() && Files.isRegularFile(Path.of(prop, "mvnw"))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve(".mvn"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
    }

    /** The vectors directory, ../shared/vectors beside the repository. */
    public static Path root() {
        Path dir = repositoryRoot().resolve("../shared/vectors").normalize();
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("test vectors missing: " + dir
                    + " — clone the shared resources beside the repository (../shared/vectors)");
        }
        return dir;
    }

    /** A file under the vectors directory, e.g. {@code resolve("wycheproof/x25519_test.json")}; fails if absent. */
    public static Path resolve(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("test vector file missing: " + p);
        }
        return p;
    }
}
