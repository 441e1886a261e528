package org.aivillage.fabric;

import java.util.Objects;

/** A service definition with the code that runs it. */
public record ServiceBinding(ServiceDefinition definition, ServiceFactory factory) {
    public ServiceBinding {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(factory, "factory");
    }
}
