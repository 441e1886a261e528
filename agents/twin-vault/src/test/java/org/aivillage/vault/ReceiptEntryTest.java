package org.aivillage.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.aivillage.betanet.codec.Cbor;
import org.aivillage.betanet.codec.CborValue;
import org.junit.jupiter.api.Test;

/** The hand-ordered audit entry encoding equals the generic deterministic CBOR of the same map. */
class ReceiptEntryTest {
    static String text(Random r) {
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(40); i > 0; i--) {
            b.append(r.nextInt(5) == 0 ? (char) (0x400 + r.nextInt(0x200)) : (char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    @Test
    void entryEncodingIsDeterministicCbor() {
        qt().withExamples(500).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            byte[] vault = new byte[16];
            byte[] prev = new byte[32];
            r.nextBytes(vault);
            r.nextBytes(prev);
            long seq = r.nextBoolean() ? r.nextInt(30) : r.nextLong() & Long.MAX_VALUE;
            long ms = r.nextBoolean() ? r.nextLong() & 0xFFFF_FFFF_FFFFL : r.nextInt(300);
            String twin = r.nextBoolean() ? text(r) : null;
            Long version = r.nextBoolean() ? Long.valueOf(r.nextLong() & Long.MAX_VALUE) : null;
            String detail = r.nextBoolean() ? text(r) : null;
            String actor = text(r);
            String op = text(r);
            String outcome = text(r);
            List<CborValue> kv = new ArrayList<>(List.of(CborValue.of(1), CborValue.of(vault), CborValue.of(2), CborValue.of(seq),
                    CborValue.of(3), CborValue.of(ms), CborValue.of(4), CborValue.of(actor), CborValue.of(5), CborValue.of(op),
                    CborValue.of(6), twin == null ? CborValue.NULL : CborValue.of(twin),
                    CborValue.of(7), version == null ? CborValue.NULL : CborValue.of(version),
                    CborValue.of(8), CborValue.of(outcome), CborValue.of(9), CborValue.of(prev)));
            if (detail != null) {
                kv.add(CborValue.of(10));
                kv.add(CborValue.of(detail));
            }
            byte[] generic = Cbor.encodeDeterministic(CborValue.map(kv.toArray(CborValue[]::new)));
            assertThat(Receipt.entry(vault, seq, Instant.ofEpochMilli(ms), actor, op, twin, version, outcome, prev, detail))
                    .isEqualTo(generic);
        });
    }
}
