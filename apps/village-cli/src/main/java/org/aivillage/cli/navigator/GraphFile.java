package org.aivillage.cli.navigator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aivillage.navigator.Contact;
import org.aivillage.navigator.EdgeMetrics;
import org.aivillage.navigator.GeoLocation;
import org.aivillage.navigator.NetworkGraph;
import org.aivillage.navigator.NodeMetadata;

/**
 * Reads the navigator's JSON graph and contact-plan files (format: docs/navigator.md). Every
 * error names the file and the field, e.g. {@code edges[3].reliability}.
 */
final class GraphFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> GRAPH_FIELDS = Set.of("directed", "nodes", "edges");
    private static final Set<String> NODE_FIELDS = Set.of("id", "capacity", "load", "location", "failed");
    private static final Set<String> LOCATION_FIELDS = Set.of("lat", "lon");
    private static final Set<String> EDGE_FIELDS =
            Set.of("from", "to", "latencyMs", "bandwidthMbps", "reliability", "cost", "failed");
    private static final Set<String> PLAN_FIELDS = Set.of("contacts");
    private static final Set<String> CONTACT_FIELDS =
            Set.of("from", "to", "startMs", "endMs", "rateBytesPerSec", "owltMs");

    /** A graph or contact-plan file is unreadable or invalid; the message says where. */
    static final class BadFileException extends Exception {
        BadFileException(String message) {
            super(message);
        }
    }

    private GraphFile() {}

    static NetworkGraph readGraph(Path file) throws BadFileException {
        JsonNode root = parse(file);
        checkFields(file, "", root, GRAPH_FIELDS);
        boolean directed = optionalBoolean(file, "directed", root.get("directed"), false);
        JsonNode nodes = array(file, "nodes", root.get("nodes"));
        JsonNode edges = array(file, "edges", root.get("edges"));
        NetworkGraph g = new NetworkGraph();
        for (int i = 0; i < nodes.size(); i++) {
            String at = "nodes[" + i + "]";
            JsonNode n = nodes.get(i);
            checkFields(file, at, n, NODE_FIELDS);
            String id = text(file, at + ".id", n.get("id"));
            if (g.hasNode(id)) {
                throw bad(file, at + ".id", "duplicate node '" + id + "'");
            }
            try {
                Optional<GeoLocation> loc = Optional.empty();
                JsonNode l = n.get("location");
                if (l != null && !l.isNull()) {
                    checkFields(file, at + ".location", l, LOCATION_FIELDS);
                    loc = Optional.of(new GeoLocation(number(file, at + ".location.lat", l.get("lat")),
                            number(file, at + ".location.lon", l.get("lon"))));
                }
                g.addNode(id, new NodeMetadata(loc, optionalNumber(file, at + ".capacity", n.get("capacity"), 1),
                        optionalNumber(file, at + ".load", n.get("load"), 0)));
                g.setNodeFailed(id, optionalBoolean(file, at + ".failed", n.get("failed"), false));
            } catch (IllegalArgumentException e) {
                throw bad(file, at, e.getMessage());
            }
        }
        for (int i = 0; i < edges.size(); i++) {
            String at = "edges[" + i + "]";
            JsonNode e = edges.get(i);
            checkFields(file, at, e, EDGE_FIELDS);
            String from = text(file, at + ".from", e.get("from"));
            String to = text(file, at + ".to", e.get("to"));
            if (!g.hasNode(from)) {
                throw bad(file, at + ".from", "unknown node '" + from + "'");
            }
            if (!g.hasNode(to)) {
                throw bad(file, at + ".to", "unknown node '" + to + "'");
            }
            if (g.edgeMetrics(from, to).isPresent()) {
                throw bad(file, at, "duplicate edge " + from + "->" + to);
            }
            try {
                EdgeMetrics m = new EdgeMetrics(number(file, at + ".latencyMs", e.get("latencyMs")),
                        number(file, at + ".bandwidthMbps", e.get("bandwidthMbps")),
                        number(file, at + ".reliability", e.get("reliability")),
                        optionalNumber(file, at + ".cost", e.get("cost"), 0));
                boolean failed = optionalBoolean(file, at + ".failed", e.get("failed"), false);
                g.addEdge(from, to, m);
                g.setEdgeFailed(from, to, failed);
                if (!directed) {
                    // both directions are always added together, so the duplicate check above
                    // also catches "B->A" after "A->B"
                    g.addEdge(to, from, m);
                    g.setEdgeFailed(to, from, failed);
                }
            } catch (IllegalArgumentException ex) {
                throw bad(file, at, ex.getMessage());
            }
        }
        return g;
    }

    static List<Contact> readContacts(Path file) throws BadFileException {
        JsonNode root = parse(file);
        checkFields(file, "", root, PLAN_FIELDS);
        JsonNode contacts = array(file, "contacts", root.get("contacts"));
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            String at = "contacts[" + i + "]";
            JsonNode c = contacts.get(i);
            checkFields(file, at, c, CONTACT_FIELDS);
            try {
                out.add(new Contact(text(file, at + ".from", c.get("from")), text(file, at + ".to", c.get("to")),
                        integer(file, at + ".startMs", c.get("startMs")), integer(file, at + ".endMs", c.get("endMs")),
                        number(file, at + ".rateBytesPerSec", c.get("rateBytesPerSec")),
                        c.get("owltMs") == null ? 0 : integer(file, at + ".owltMs", c.get("owltMs"))));
            } catch (IllegalArgumentException e) {
                throw bad(file, at, e.getMessage());
            }
        }
        return out;
    }

    private static JsonNode parse(Path file) throws BadFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadFileException(file + ": cannot read: " + e.getMessage());
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject()) {
                throw new BadFileException(file + ": the top level must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new BadFileException(file + ": not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }

    private static BadFileException bad(Path file, String field, String message) {
        return new BadFileException(file + ": " + field + ": " + message);
    }

    private static void checkFields(Path file, String at, JsonNode n, Set<String> allowed) throws BadFileException {
        if (n == null || !n.isObject()) {
            throw bad(file, at.isEmpty() ? "(top level)" : at, "must be an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw bad(file, at.isEmpty() ? f : at + "." + f, "unknown field (expected one of "
                        + allowed.stream().sorted().toList() + ")");
            }
        }
    }

    private static JsonNode array(Path file, String field, JsonNode n) throws BadFileException {
        if (n == null || !n.isArray()) {
            throw bad(file, field, "must be an array");
        }
        return n;
    }

    private static String text(Path file, String field, JsonNode n) throws BadFileException {
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw bad(file, field, "must be a non-empty string");
        }
        return n.asText();
    }

    private static double number(Path file, String field, JsonNode n) throws BadFileException {
        if (n == null || !n.isNumber()) {
            throw bad(file, field, "must be a number");
        }
        return n.asDouble();
    }

    private static long integer(Path file, String field, JsonNode n) throws BadFileException {
        if (n == null || !n.canConvertToExactIntegral() || !n.canConvertToLong()) {
            throw bad(file, field, "must be an integer");
        }
        return n.asLong();
    }

    private static double optionalNumber(Path file, String field, JsonNode n, double dflt) throws BadFileException {
        return n == null ? dflt : number(file, field, n);
    }

    private static boolean optionalBoolean(Path file, String field, JsonNode n, boolean dflt) throws BadFileException {
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw bad(file, field, "must be true or false");
        }
        return n.asBoolean();
    }
}
