package org.aivillage.cli.navigator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.aivillage.navigator.ContactRoute;
import org.aivillage.navigator.Path;
import org.aivillage.navigator.RouteResult;

/** Text and JSON renderings of navigator results. */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {}

    static String text(Path p) {
        return String.join(" -> ", p.nodes()) + System.lineSeparator() + String.format(Locale.ROOT,
                "  latency %.3f ms, cost %.3f, bottleneck %s Mbit/s, reliability %.6f, %d hops",
                p.totalLatency(), p.totalCost(),
                Double.isInfinite(p.bottleneckBandwidth()) ? "unlimited" : String.format(Locale.ROOT, "%.3f",
                        p.bottleneckBandwidth()), p.reliability(), p.hops());
    }

    static ObjectNode json(Path p) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode nodes = o.putArray("nodes");
        p.nodes().forEach(nodes::add);
        o.put("totalLatencyMs", p.totalLatency());
        o.put("totalCost", p.totalCost());
        if (Double.isInfinite(p.bottleneckBandwidth())) {
            o.putNull("bottleneckBandwidthMbps");
        } else {
            o.put("bottleneckBandwidthMbps", p.bottleneckBandwidth());
        }
        o.put("reliability", p.reliability());
        o.put("hops", p.hops());
        return o;
    }

    static ObjectNode json(RouteResult.NoRoute nr) {
        ObjectNode o = JSON.createObjectNode();
        o.put("noRoute", nr.kind().name().toLowerCase(Locale.ROOT));
        ArrayNode ex = o.putArray("excludedBy");
        nr.excludedBy().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).sorted().forEach(ex::add);
        o.put("explanation", nr.explanation());
        nr.bestCandidate().ifPresent(p -> o.set("bestCandidate", json(p)));
        return o;
    }

    static void noRoute(PrintWriter out, RouteResult.NoRoute nr) {
        out.println("no route (" + nr.kind().name().toLowerCase(Locale.ROOT) + "): " + nr.explanation());
        if (!nr.excludedBy().isEmpty()) {
            out.println("  excluded by: " + nr.excludedBy().stream()
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).sorted().toList());
        }
        nr.bestCandidate().ifPresent(p -> out.println("  best candidate: " + text(p).replace(
                System.lineSeparator(), System.lineSeparator() + "  ")));
    }

    static ObjectNode paths(List<Path> paths) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode arr = o.putArray("paths");
        paths.forEach(p -> arr.add(json(p)));
        return o;
    }

    static ObjectNode json(ContactRoute r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("arrivalTimeMs", r.arrivalTimeMs());
        ArrayNode hops = o.putArray("hops");
        for (ContactRoute.Hop h : r.hops()) {
            ObjectNode hop = hops.addObject();
            hop.put("from", h.contact().from());
            hop.put("to", h.contact().to());
            hop.put("transmitStartMs", h.transmitStartMs());
            hop.put("arrivalMs", h.arrivalMs());
        }
        return o;
    }

    static String text(ContactRoute r) {
        StringBuilder b = new StringBuilder();
        b.append(r.hops().getFirst().contact().from());
        for (ContactRoute.Hop h : r.hops()) {
            b.append(" -> ").append(h.contact().to());
        }
        b.append(System.lineSeparator()).append("  arrives at ").append(r.arrivalTimeMs()).append(" ms");
        for (ContactRoute.Hop h : r.hops()) {
            b.append(System.lineSeparator()).append(String.format(Locale.ROOT, "  %s -> %s: sent at %d ms, arrives %d ms",
                    h.contact().from(), h.contact().to(), h.transmitStartMs(), h.arrivalMs()));
        }
        return b.toString();
    }

    static String render(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
