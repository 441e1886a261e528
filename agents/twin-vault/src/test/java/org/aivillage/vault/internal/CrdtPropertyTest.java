package org.aivillage.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.aivillage.betanet.crypto.Ed25519;
import org.aivillage.vault.PrivacyLevel;
import org.junit.jupiter.api.Test;

public class CrdtPropertyTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] KEYS = {"a", "b", "c", "d"};

    /** Random JSON object over a small key space so that concurrent edits collide often. */
    public static ObjectNode randomObject(Random r, int depth) {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(depth == 0 ? 4 : 3);
        for (int i = 0; i < n; i++) {
            o.set(KEYS[r.nextInt(KEYS.length)], randomValue(r, depth));
        }
        return o;
    }

    public static JsonNode randomValue(Random r, int depth) {
        return switch (r.nextInt(depth >= 3 ? 5 : 7)) {
            case 0 -> F.numberNode(r.nextInt(4));
            case 1 -> F.textNode("s" + r.nextInt(3));
            case 2 -> F.booleanNode(r.nextBoolean());
            case 3 -> F.nullNode();
            case 4 -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(3); i > 0; i--) {
                    a.add(r.nextInt(3));
                }
                yield a;
            }
            case 5 -> F.objectNode();
            default -> randomObject(r, depth + 1);
        };
    }

    /** A random edit of {@code base}: set, remove or replace keys at random depths. */
    public static ObjectNode mutate(Random r, ObjectNode base) {
        ObjectNode copy = base.deepCopy();
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            ObjectNode target = copy;
            while (r.nextInt(3) == 0) {
                List<String> objs = new ArrayList<>();
                target.properties().forEach(en -> {
                    if (en.getValue().isObject()) {
                        objs.add(en.getKey());
                    }
                });
                if (objs.isEmpty()) {
                    break;
                }
                target = (ObjectNode) target.get(objs.get(r.nextInt(objs.size())));
            }
            String k = KEYS[r.nextInt(KEYS.length)];
            if (r.nextInt(4) == 0) {
                target.remove(k);
            } else {
                target.set(k, randomValue(r, 1));
            }
        }
        return r.nextInt(10) == 0 ? randomObject(r, 0) : copy;
    }

    /** One device: its state, clock and key. */
    static final class Replica {
        final byte[] device = Ed25519.generateKeyPair().publicKey();
        final TwinState state = new TwinState();
        final Hlc hlc;
        final List<Change> seen = new ArrayList<>();

        Replica(Random r) {
            long base = 1_000;
            this.hlc = new Hlc(() -> base + r.nextInt(5));
        }

        Change edit(ObjectNode next, PrivacyLevel privacy) {
            List<CrdtOp> ops = new ArrayList<>(JsonDiff.diff(state.materialize(), next));
            if (privacy != null) {
                ops.add(new CrdtOp.Privacy(privacy));
            }
            Hlc.Tick t = hlc.tick();
            Change c = new Change("twin", "alice", device, t.wall(), t.counter(), ops);
            receive(c);
            return c;
        }

        void receive(Change c) {
            hlc.observe(c.wall(), c.counter());
            state.apply(c, c.id());
            seen.add(c);
        }
    }

    @Test
    void localEditsMaterializeToTheEditedJson() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(CrdtPropertyTest::localEdits);
    }

    static void localEdits(long seed) {
        Random r = new Random(seed);
        Replica a = new Replica(r);
        ObjectNode cur = F.objectNode();
        for (int i = 0; i < 12; i++) {
            cur = mutate(r, cur);
            a.edit(cur, null);
            assertThat(a.state.materialize()).isEqualTo(Json.sorted(cur));
        }
    }

    @Test
    void concurrentEditsConvergeInAnyDeliveryOrderWithDuplicates() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(CrdtPropertyTest::converge);
    }

    static void converge(long seed) {
        Random r = new Random(seed);
        List<Replica> replicas = List.of(new Replica(r), new Replica(r), new Replica(r));
        List<Change> all = new ArrayList<>();
        all.add(replicas.getFirst().edit(randomObject(r, 0), PrivacyLevel.PRIVATE));
        for (int step = 0; step < 20; step++) {
            Replica x = replicas.get(r.nextInt(replicas.size()));
            if (r.nextBoolean()) {
                ObjectNode next = mutate(r, x.state.materialize());
                PrivacyLevel p = r.nextInt(5) == 0 ? PrivacyLevel.values()[r.nextInt(4)] : null;
                all.add(x.edit(next, p));
                // A local edit always reads back as written, whatever was merged before it.
                assertThat(x.state.materialize()).isEqualTo(Json.sorted(next));
            } else {
                // Partial, out-of-order delivery of some known changes (duplicates included).
                for (int k = r.nextInt(4); k > 0; k--) {
                    x.receive(all.get(r.nextInt(all.size())));
                }
            }
        }
        TwinState reference = new TwinState();
        all.forEach(c -> reference.apply(c, c.id()));
        ObjectNode expected = reference.materialize();
        for (Replica x : replicas) {
            List<Change> delivery = new ArrayList<>(all);
            for (int k = r.nextInt(5); k > 0; k--) {
                delivery.add(all.get(r.nextInt(all.size())));
            }
            Collections.shuffle(delivery, r);
            delivery.forEach(x::receive);
            assertThat(x.state.materialize()).isEqualTo(expected);
            assertThat(x.state.privacy()).isEqualTo(reference.privacy());
        }
    }

    @Test
    void laterWriteBelowAScalarTurnsItIntoAnObjectAndLaterScalarCoversTheSubtree() {
        Replica a = new Replica(new Random(1));
        a.edit((ObjectNode) Json.parse("{\"x\":5}"), null);
        a.edit((ObjectNode) Json.parse("{\"x\":{\"y\":1}}"), null);
        assertThat(Json.canonical(a.state.materialize())).isEqualTo("{\"x\":{\"y\":1}}");
        a.edit((ObjectNode) Json.parse("{\"x\":7}"), null);
        assertThat(Json.canonical(a.state.materialize())).isEqualTo("{\"x\":7}");
        a.edit((ObjectNode) Json.parse("{\"x\":{}}"), null);
        assertThat(Json.canonical(a.state.materialize())).isEqualTo("{\"x\":{}}");
    }

    @Test
    void concurrentWritesToTheSameKeyPickTheLaterClockThenTheDeviceKey() {
        Replica a = new Replica(new Random(2));
        Replica b = new Replica(new Random(3));
        Change base = a.edit((ObjectNode) Json.parse("{\"k\":0}"), null);
        b.receive(base);
        Change ca = a.edit((ObjectNode) Json.parse("{\"k\":1}"), null);
        Change cb = b.edit((ObjectNode) Json.parse("{\"k\":2}"), null);
        a.receive(cb);
        b.receive(ca);
        assertThat(a.state.materialize()).isEqualTo(b.state.materialize());
        Change winner = ca.stamp(ca.id(), 0).compareTo(cb.stamp(cb.id(), 0)) > 0 ? ca : cb;
        assertThat(a.state.materialize().get("k").asInt()).isEqualTo(winner == ca ? 1 : 2);
    }

    @Test
    void eraseIsTerminal() {
        Replica a = new Replica(new Random(4));
        a.edit((ObjectNode) Json.parse("{\"k\":0}"), null);
        Hlc.Tick t = a.hlc.tick();
        a.receive(new Change("twin", "alice", a.device, t.wall(), t.counter(), List.of(new CrdtOp.Erase())));
        assertThat(a.state.erased()).isTrue();
    }
}
