package org.aivillage.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.aivillage.betanet.codec.CodecException;
import org.aivillage.vault.PrivacyLevel;

class CodecPropertyTest {

    static Change randomChange(Random r) {
        byte[] dev = new byte[32];
        r.nextBytes(dev);
        List<CrdtOp> ops = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            List<String> path = new ArrayList<>();
            for (int d = 1 + r.nextInt(3); d > 0; d--) {
                path.add("k" + r.nextInt(1000) + (r.nextBoolean() ? "é\u4e16" : ""));
            }
            ops.add(switch (r.nextInt(4)) {
                case 0 -> new CrdtOp.Put(path, Json.canonical(CrdtPropertyTest.randomValue(r, 0)));
                case 1 -> new CrdtOp.Remove(path);
                case 2 -> new CrdtOp.Privacy(PrivacyLevel.values()[r.nextInt(4)]);
                default -> new CrdtOp.Erase();
            });
        }
        return new Change("twin-" + r.nextInt(), "owner-" + r.nextInt(9), dev, Math.abs(r.nextLong()), r.nextInt(Integer.MAX_VALUE), ops);
    }

    @Property(tries = 500)
    void changeRoundTrips(@ForAll long seed) throws CodecException {
        Change c = randomChange(new Random(seed));
        Change back = Change.decode(c.encode());
        assertThat(back).isEqualTo(c);
        assertThat(back.ops()).isEqualTo(c.ops());
        assertThat(back.id()).isEqualTo(c.id());
    }

    @Property(tries = 1000)
    void randomBytesNeverCrashTheDecoders(@ForAll @Size(max = 300) byte[] junk) {
        try {
            Change.decode(junk);
        } catch (CodecException expected) {
            // documented
        }
        try {
            SyncWire.decode(junk);
        } catch (CodecException expected) {
            // documented
        }
        try {
            BackupManifest.decode(junk);
        } catch (CodecException expected) {
            // documented
        }
        try {
            MasterKeys.Kdf.decode(junk);
        } catch (CodecException expected) {
            // documented
        }
    }

    @Property(tries = 300)
    void mutatedChangesNeverCrashTheDecoder(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] enc = randomChange(r).encode();
        for (int i = 0; i < 8; i++) {
            byte[] t = enc.clone();
            t[r.nextInt(t.length)] ^= (byte) (1 + r.nextInt(255));
            try {
                Change.decode(t);
            } catch (CodecException expected) {
                // documented
            }
        }
    }

    @Property(tries = 300)
    void syncMessagesRoundTrip(@ForAll long seed) throws CodecException {
        Random r = new Random(seed);
        List<SyncWire.HaveEntry> have = new ArrayList<>();
        List<byte[]> ids = new ArrayList<>();
        for (int i = r.nextInt(20); i > 0; i--) {
            byte[] id = new byte[16];
            r.nextBytes(id);
            have.add(new SyncWire.HaveEntry(id, "o" + r.nextInt(5)));
            ids.add(id);
        }
        SyncWire.Have h = (SyncWire.Have) SyncWire.decode(SyncWire.encode(new SyncWire.Have(have, r.nextBoolean())));
        assertThat(h.entries()).hasSize(have.size());
        for (int i = 0; i < have.size(); i++) {
            assertThat(h.entries().get(i).changeId()).isEqualTo(have.get(i).changeId());
            assertThat(h.entries().get(i).owner()).isEqualTo(have.get(i).owner());
        }
        SyncWire.Want w = (SyncWire.Want) SyncWire.decode(SyncWire.encode(new SyncWire.Want(ids, false)));
        assertThat(w.ids()).containsExactlyElementsOf(ids);
        SyncWire.Changes c = (SyncWire.Changes) SyncWire.decode(SyncWire.encode(new SyncWire.Changes(ids, true)));
        assertThat(c.signed()).containsExactlyElementsOf(ids);
        assertThat(c.more()).isTrue();
        assertThat(SyncWire.decode(SyncWire.encode(new SyncWire.Done()))).isInstanceOf(SyncWire.Done.class);
        assertThat(((SyncWire.Error) SyncWire.decode(SyncWire.encode(new SyncWire.Error("x")))).reason()).isEqualTo("x");
    }
}
