package org.aivillage.fabric.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.aivillage.fabric.FabricException;
import org.aivillage.fabric.ServiceBinding;
import org.aivillage.fabric.ServiceDefinition;

/** The services this node can run, by {@code name@version}. Bounded by {@link #MAX_SERVICES}. */
public final class ServiceRegistry {
    public static final int MAX_SERVICES = 4096;
    private final ConcurrentHashMap<String, ServiceBinding> byKey = new ConcurrentHashMap<>();

    /** Registers or replaces the implementation of {@code name@version}. */
    public synchronized void register(ServiceBinding binding) {
        String key = binding.definition().key();
        if (!byKey.containsKey(key) && byKey.size() >= MAX_SERVICES) {
            throw new FabricException(FabricException.Code.INVALID_ARGUMENT,
                    "too many services registered (limit " + MAX_SERVICES + ")");
        }
        byKey.put(key, binding);
    }

    public Optional<ServiceBinding> get(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public List<ServiceDefinition> definitions() {
        List<ServiceDefinition> out = new ArrayList<>();
        for (ServiceBinding b : byKey.values()) {
            out.add(b.definition());
        }
        out.sort(ORDER);
        return out;
    }

    /** Discovery order: by name, then newest version first. */
    public static final Comparator<ServiceDefinition> ORDER = Comparator.comparing(ServiceDefinition::name)
            .thenComparing(ServiceDefinition::version, Versions.ORDER.reversed());

    /** Picks {@code name@version}, or the highest version of {@code name} when version is null. */
    public static ServiceDefinition resolve(Collection<ServiceDefinition> known, String name, String version) {
        ServiceDefinition best = null;
        for (ServiceDefinition d : known) {
            if (!d.name().equals(name)) {
                continue;
            }
            if (version != null) {
                if (d.version().equals(version)) {
                    return d;
                }
            } else if (best == null || Versions.compare(d.version(), best.version()) > 0) {
                best = d;
            }
        }
        if (best == null) {
            throw new FabricException(FabricException.Code.SERVICE_NOT_FOUND, "no service "
                    + (version == null ? "named \"" + name + "\"" : name + "@" + version) + " is registered");
        }
        return best;
    }
}
