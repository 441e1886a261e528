package org.aivillage.dtn;

import java.util.List;
import java.util.Map;
import org.aivillage.dtn.routing.Contact;
import org.aivillage.dtn.routing.ContactGraphRouting;
import org.aivillage.dtn.routing.EpidemicRouting;
import org.aivillage.dtn.routing.ProphetRouting;
import org.aivillage.dtn.routing.RoutingStrategy;
import org.aivillage.dtn.routing.SprayAndWaitRouting;
import org.aivillage.dtn.routing.StaticRouting;

/** The routing strategy a node runs (the seed's {@code routing_strategy}). */
public sealed interface RoutingConfig {
    record Epidemic() implements RoutingConfig {}

    record SprayAndWait(long copies) implements RoutingConfig {}

    record Prophet(ProphetRouting.Parameters parameters) implements RoutingConfig {}

    record ContactGraph(List<Contact> plan) implements RoutingConfig {}

    record Static(Map<String, EndpointId> routes) implements RoutingConfig {}

    /** Builds the strategy for the node {@code self}. */
    default RoutingStrategy newStrategy(EndpointId self) {
        return switch (this) {
            case Epidemic e -> new EpidemicRouting();
            case SprayAndWait s -> new SprayAndWaitRouting(s.copies());
            case Prophet p -> new ProphetRouting(self, p.parameters());
            case ContactGraph c -> new ContactGraphRouting(self, c.plan(), 1024);
            case Static s -> new StaticRouting(s.routes());
        };
    }

    /** Parses the config names {@code epidemic}, {@code spray_and_wait}, {@code prophet}, {@code static}. */
    static RoutingConfig named(String name, long sprayCopies) {
        return switch (name.toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "epidemic" -> new Epidemic();
            case "spray_and_wait", "sprayandwait", "spray" -> new SprayAndWait(sprayCopies);
            case "prophet" -> new Prophet(ProphetRouting.Parameters.rfc6693());
            case "static" -> new Static(Map.of());
            case "contact_graph", "cgr" -> new ContactGraph(List.of());
            default -> throw new IllegalArgumentException("unknown routing strategy: " + name
                    + " (epidemic, spray_and_wait, prophet, contact_graph, static)");
        };
    }
}
