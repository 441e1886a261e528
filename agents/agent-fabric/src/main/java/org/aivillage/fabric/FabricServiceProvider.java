package org.aivillage.fabric;

import java.util.List;

/**
 * Services a {@link FabricNode} registers at start, found with {@link java.util.ServiceLoader}:
 * put a class implementing this interface on the node's class path and name it in
 * {@code META-INF/services/org.aivillage.fabric.FabricServiceProvider}.
 */
public interface FabricServiceProvider {
    List<ServiceBinding> services();
}
