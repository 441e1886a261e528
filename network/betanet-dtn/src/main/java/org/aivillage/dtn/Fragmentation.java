package org.aivillage.dtn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Proactive fragmentation and reassembly (RFC 9171 section 5.8 and 5.9). Blocks flagged
 * {@link BlockFlags#REPLICATE_IN_EVERY_FRAGMENT} go into every fragment; the others only into the
 * first.
 */
public final class Fragmentation {
    private Fragmentation() {}

    /**
     * Splits {@code bundle} into fragments whose payloads are at most {@code maxPayload} bytes.
     * Returns the bundle itself when it fits. Refuses bundles flagged must-not-fragment.
     */
    public static List<Bundle> fragment(Bundle bundle, int maxPayload) {
        if (maxPayload <= 0) {
            throw new IllegalArgumentException("maxPayload must be positive");
        }
        byte[] payload = bundle.payload();
        if (payload.length <= maxPayload) {
            return List.of(bundle);
        }
        PrimaryBlock p = bundle.primary();
        if (p.hasFlag(BundleFlags.MUST_NOT_FRAGMENT)) {
            throw new IllegalArgumentException("bundle is flagged must-not-fragment");
        }
        long baseOffset = p.isFragment() ? p.fragmentOffset() : 0;
        long total = p.isFragment() ? p.totalAduLength() : payload.length;
        List<Bundle> out = new ArrayList<>();
        for (int off = 0; off < payload.length; off += maxPayload) {
            int len = Math.min(maxPayload, payload.length - off);
            byte[] part = java.util.Arrays.copyOfRange(payload, off, off + len);
            List<CanonicalBlock> blocks = new ArrayList<>();
            for (CanonicalBlock b : bundle.blocks()) {
                if (b.type() == BlockType.PAYLOAD) {
                    blocks.add(b.withData(part));
                } else if (off == 0 || b.hasFlag(BlockFlags.REPLICATE_IN_EVERY_FRAGMENT)) {
                    blocks.add(b);
                }
            }
            PrimaryBlock fp = new PrimaryBlock(p.flags() | BundleFlags.IS_FRAGMENT, p.crcType(), p.destination(),
                    p.source(), p.reportTo(), p.creationTimestamp(), p.lifetimeMillis(), baseOffset + off, total);
            out.add(new Bundle(fp, blocks));
        }
        return out;
    }

    /**
     * Reassembles the ADU from fragments of one bundle when they cover it completely; empty
     * otherwise. The result takes its extension blocks from the fragment at offset 0.
     */
    public static Optional<Bundle> reassemble(List<Bundle> fragments) {
        if (fragments.isEmpty()) {
            return Optional.empty();
        }
        List<Bundle> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingLong(b -> b.primary().fragmentOffset()));
        Bundle first = sorted.getFirst();
        long total = first.primary().totalAduLength();
        if (!first.primary().isFragment() || first.primary().fragmentOffset() != 0 || total > Integer.MAX_VALUE - 16) {
            return Optional.empty();
        }
        BundleId whole = first.id().wholeBundle();
        byte[] adu = new byte[(int) total];
        long covered = 0;
        for (Bundle f : sorted) {
            PrimaryBlock fp = f.primary();
            if (!fp.isFragment() || !f.id().wholeBundle().equals(whole) || fp.totalAduLength() != total) {
                return Optional.empty();
            }
            long off = fp.fragmentOffset();
            byte[] part = f.payload();
            if (off > covered || off + part.length > total) {
                return Optional.empty();
            }
            long end = off + part.length;
            if (end > covered) {
                int skip = (int) (covered - off);
                System.arraycopy(part, skip, adu, (int) covered, part.length - skip);
                covered = end;
            }
        }
        if (covered != total) {
            return Optional.empty();
        }
        List<CanonicalBlock> blocks = new ArrayList<>();
        for (CanonicalBlock b : first.blocks()) {
            blocks.add(b.type() == BlockType.PAYLOAD ? b.withData(adu) : b);
        }
        return Optional.of(new Bundle(first.primary().whole(), blocks));
    }
}
