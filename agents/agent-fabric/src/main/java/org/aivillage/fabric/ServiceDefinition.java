package org.aivillage.fabric;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A service: a named, versioned handler implementation that agents run.
 *
 * @param name service name: letters, digits, {@code . _ -}, 1..64 characters
 * @param version version string, e.g. {@code 1.2.0} (same character set)
 * @param endpoints free-form endpoint descriptions the service advertises (may be empty)
 * @param resourceRequirements what each replica reserves on its node
 */
public record ServiceDefinition(String name, String version, List<String> endpoints,
        ResourceRequirements resourceRequirements) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ServiceDefinition {
        requireName("service name", name);
        requireName("service version", version);
        endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        Objects.requireNonNull(resourceRequirements, "resourceRequirements");
    }

    /** A definition with no endpoints and {@link ResourceRequirements#SMALL}. */
    public static ServiceDefinition of(String name, String version) {
        return new ServiceDefinition(name, version, List.of(), ResourceRequirements.SMALL);
    }

    /** {@code name@version}, the key a service is registered under. */
    public String key() {
        return name + "@" + version;
    }

    static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1..64 of [A-Za-z0-9._-], got "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
    }
}
