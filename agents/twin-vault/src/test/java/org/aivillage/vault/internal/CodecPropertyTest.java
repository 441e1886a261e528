package org.aivillage.vault.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aivillage.testkit.Gens;
import org.junit.jupiter.api.Test;
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

    @Test
    void changeRoundTrips() {
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            try {
                changeRoundTrip(seed);
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    static void changeRoundTrip(long seed) throws CodecException {
        Change c = randomChange(new Random(seed));
        Change back = Change.decode(c.encode());
        assertThat(back).isEqualTo(c);
        assertThat(back.ops()).isEqualTo(c.ops());
        assertThat(back.id()).isEqualTo(c.id());
    }

    @Test
    void randomBytesNeverCrashTheDecoders() {
        qt().withExamples(3000).forAll(Gens.bytes(300)).checkAssert(CodecPropertyTest::decodeAll);
    }

    static void decodeAll(byte[] junk) {
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
            PassphraseKdf.decode(junk);
        } catch (CodecException expected) {
            // documented
        }
        try {
            org.aivillage.vault.DeviceCard.decode(junk);
        } catch (CodecException expected) {
            // documented
        }
    }

    @Test
    void passphraseKdfRoundTripsAndMutationsNeverCrash() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            int p = 1 + r.nextInt(16);
            PassphraseKdf k = PassphraseKdf.fresh(new org.aivillage.betanet.crypto.Argon2id.Parameters(
                    8 * p + r.nextInt((1 << 20) - 8 * p), 1 + r.nextInt(64), p));
            byte[] enc = k.encode();
            try {
                assertThat(PassphraseKdf.decode(enc)).isEqualTo(k);
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
            byte[] t = enc.clone();
            t[r.nextInt(t.length)] ^= (byte) (1 + r.nextInt(255));
            try {
                PassphraseKdf.decode(t);
            } catch (CodecException expected) {
                // documented
            }
        });
    }


    @Test
    void mutatedChangesNeverCrashTheDecoder() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(CodecPropertyTest::mutateChange);
    }

    static void mutateChange(long seed) {
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

    @Test
    void syncMessagesRoundTrip() {
        qt().withExamples(300).forAll(longs().all()).checkAssert(seed -> {
            try {
                syncRoundTrip(seed);
            } catch (CodecException e) {
                throw new AssertionError(e);
            }
        });
    }

    static void syncRoundTrip(long seed) throws CodecException {
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
