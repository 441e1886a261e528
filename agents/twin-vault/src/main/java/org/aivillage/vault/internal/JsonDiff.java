package org.aivillage.vault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns a local edit (old object → new object) into CRDT operations such that applying them, with
 * stamps later than every stamp already in the state, makes the state materialize to the new object.
 */
public final class JsonDiff {
    private JsonDiff() {}

    public static List<CrdtOp> diff(ObjectNode before, ObjectNode after) {
        List<CrdtOp> out = new ArrayList<>();
        diffObject(new ArrayList<>(), before, after, out);
        return out;
    }

    private static void diffObject(List<String> path, ObjectNode before, ObjectNode after, List<CrdtOp> out) {
        TreeSet<String> beforeKeys = new TreeSet<>();
        before.fieldNames().forEachRemaining(beforeKeys::add);
        for (String k : beforeKeys) {
            if (!after.has(k)) {
                out.add(new CrdtOp.Remove(child(path, k)));
            }
        }
        TreeSet<String> afterKeys = new TreeSet<>();
        after.fieldNames().forEachRemaining(afterKeys::add);
        for (String k : afterKeys) {
            JsonNode nv = after.get(k);
            JsonNode ov = before.get(k);
            List<String> p = child(path, k);
            if (nv instanceof ObjectNode no && !no.isEmpty()) {
                diffObject(p, ov instanceof ObjectNode oo ? oo : Json.emptyObject(), no, out);
            } else if (ov == null || !ov.equals(nv)) {
                out.add(new CrdtOp.Put(p, Json.canonical(nv)));
            }
        }
    }

    private static List<String> child(List<String> path, String key) {
        List<String> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(key);
        return p;
    }
}
