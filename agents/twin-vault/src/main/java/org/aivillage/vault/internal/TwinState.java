package org.aivillage.vault.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aivillage.vault.PrivacyLevel;

/**
 * The replicated state of one twin: a last-writer-wins register per JSON path (the operation with
 * the greatest {@link Stamp} wins), one for the privacy level, and an erase flag. The state is a
 * join over the set of applied changes, so any delivery order, duplication or reordering of the
 * same changes gives the same state, and {@link #materialize()} is a pure function of it.
 *
 * <p>Materialization: a winner at path P is <em>effective</em> unless some ancestor path has a
 * later winner (a later put or remove of an ancestor replaces the whole subtree). An effective
 * put is <em>visible</em> unless an effective put below it is later (a later write inside P turned
 * P into an object). Visible values are placed into a tree; intermediate objects are implied.
 */
public final class TwinState {
    private record Entry(Stamp stamp, String json) {}

    private final Map<List<String>, Entry> winners = new HashMap<>();
    private Stamp privacyStamp;
    private PrivacyLevel privacy = PrivacyLevel.PRIVATE;
    private boolean erased;

    /** Applies every operation of a change (idempotent). */
    public void apply(Change change, byte[] changeId) {
        List<CrdtOp> ops = change.ops();
        for (int i = 0; i < ops.size(); i++) {
            Stamp s = change.stamp(changeId, i);
            switch (ops.get(i)) {
                case CrdtOp.Put p -> offer(p.path(), new Entry(s, p.json()));
                case CrdtOp.Remove r -> offer(r.path(), new Entry(s, null));
                case CrdtOp.Privacy p -> {
                    if (privacyStamp == null || s.after(privacyStamp)) {
                        privacyStamp = s;
                        privacy = p.level();
                    }
                }
                case CrdtOp.Erase e -> erased = true;
            }
        }
    }

    private void offer(List<String> path, Entry e) {
        Entry cur = winners.get(path);
        if (cur == null || e.stamp().after(cur.stamp())) {
            winners.put(path, e);
        }
    }

    public boolean erased() {
        return erased;
    }

    public PrivacyLevel privacy() {
        return privacy;
    }

    /** The twin's JSON object as the state determines it. */
    public ObjectNode materialize() {
        Map<List<String>, Stamp> latestLiveBelow = new HashMap<>();
        List<Map.Entry<List<String>, Entry>> effective = new ArrayList<>();
        for (Map.Entry<List<String>, Entry> w : winners.entrySet()) {
            if (coveredByAncestor(w.getKey(), w.getValue().stamp())) {
                continue;
            }
            effective.add(w);
            if (w.getValue().json() != null) {
                List<String> p = w.getKey();
                for (int len = 1; len < p.size(); len++) {
                    latestLiveBelow.merge(p.subList(0, len), w.getValue().stamp(), (a, b) -> a.after(b) ? a : b);
                }
            }
        }
        List<Map.Entry<List<String>, Entry>> visible = new ArrayList<>();
        for (Map.Entry<List<String>, Entry> w : effective) {
            Entry e = w.getValue();
            if (e.json() == null) {
                continue;
            }
            Stamp below = latestLiveBelow.get(w.getKey());
            if (below == null || !below.after(e.stamp())) {
                visible.add(w);
            }
        }
        visible.sort(Comparator.<Map.Entry<List<String>, Entry>>comparingInt(w -> w.getKey().size())
                .thenComparing(w -> w.getKey(), TwinState::comparePaths));
        ObjectNode root = Json.emptyObject();
        for (Map.Entry<List<String>, Entry> w : visible) {
            place(root, w.getKey(), Json.parse(w.getValue().json()));
        }
        return (ObjectNode) Json.sorted(root);
    }

    private boolean coveredByAncestor(List<String> path, Stamp stamp) {
        for (int len = 1; len < path.size(); len++) {
            Entry a = winners.get(path.subList(0, len));
            if (a != null && a.stamp().after(stamp)) {
                return true;
            }
        }
        return false;
    }

    private static void place(ObjectNode root, List<String> path, JsonNode value) {
        ObjectNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode child = node.get(path.get(i));
            ObjectNode next;
            if (child instanceof ObjectNode o) {
                next = o;
            } else {
                next = Json.emptyObject();
                node.set(path.get(i), next);
            }
            node = next;
        }
        String last = path.getLast();
        if (value instanceof ObjectNode obj && node.get(last) instanceof ObjectNode existing) {
            // An object value under which later writes already placed keys: keep both.
            obj.properties().forEach(en -> {
                if (!existing.has(en.getKey())) {
                    existing.set(en.getKey(), en.getValue());
                }
            });
        } else {
            node.set(last, value);
        }
    }

    private static int comparePaths(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
