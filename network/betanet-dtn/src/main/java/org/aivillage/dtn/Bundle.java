package org.aivillage.dtn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.aivillage.dtn.internal.ExtensionBlocks;

/**
 * A BPv7 bundle (RFC 9171): the primary block and the canonical blocks in wire order, the payload
 * block last. Immutable; the {@code with...} methods return modified copies. Encode and decode with
 * {@link BundleCodec}.
 */
public record Bundle(PrimaryBlock primary, List<CanonicalBlock> blocks) {

    public Bundle {
        Objects.requireNonNull(primary, "primary");
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty() || blocks.getLast().type() != BlockType.PAYLOAD) {
            throw new IllegalArgumentException("a bundle's last block must be the payload block");
        }
        for (int i = 0; i < blocks.size(); i++) {
            CanonicalBlock b = blocks.get(i);
            if (b.type() == BlockType.PAYLOAD && i != blocks.size() - 1) {
                throw new IllegalArgumentException("more than one payload block");
            }
            for (int j = 0; j < i; j++) {
                if (blocks.get(j).number() == b.number()) {
                    throw new IllegalArgumentException("duplicate block number " + b.number());
                }
            }
        }
    }

    public CanonicalBlock payloadBlock() {
        return blocks.getLast();
    }

    /** The payload (application data unit or, for a fragment, its part). Not a copy. */
    public byte[] payload() {
        return payloadBlock().data();
    }

    public BundleId id() {
        return primary.isFragment()
                ? new BundleId(primary.source(), primary.creationTimestamp(), primary.fragmentOffset(), payload().length)
                : BundleId.whole(primary.source(), primary.creationTimestamp());
    }

    public Optional<CanonicalBlock> block(int type) {
        for (CanonicalBlock b : blocks) {
            if (b.type() == type) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    public Optional<CanonicalBlock> blockNumber(long number) {
        for (CanonicalBlock b : blocks) {
            if (b.number() == number) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The bundle priority from the class-of-service block: 0 bulk, 1 normal (default), 2 expedited. */
    public int priority() {
        return block(BlockType.PRIORITY).map(b -> ExtensionBlocks.decodePriority(b.data())).orElse(1);
    }

    /** Current hop count and limit from the hop count block, if present: {limit, count}. */
    public Optional<long[]> hopCount() {
        return block(BlockType.HOP_COUNT).map(b -> ExtensionBlocks.decodeHopCount(b.data()));
    }

    /** Bundle age in milliseconds from the bundle age block, if present. */
    public OptionalLong bundleAgeMillis() {
        Optional<CanonicalBlock> b = block(BlockType.BUNDLE_AGE);
        return b.isPresent() ? OptionalLong.of(ExtensionBlocks.decodeBundleAge(b.get().data())) : OptionalLong.empty();
    }

    /** The previous node from the previous node block, if present. */
    public Optional<EndpointId> previousNode() {
        return block(BlockType.PREVIOUS_NODE).map(b -> ExtensionBlocks.decodePreviousNode(b.data()));
    }

    public Bundle withPrimary(PrimaryBlock p) {
        return new Bundle(p, blocks);
    }

    /** A copy with the block of the same number replaced, or {@code block} inserted before the payload. */
    public Bundle withBlock(CanonicalBlock block) {
        List<CanonicalBlock> out = new ArrayList<>(blocks.size() + 1);
        boolean replaced = false;
        for (CanonicalBlock b : blocks) {
            if (b.number() == block.number()) {
                out.add(block);
                replaced = true;
            } else {
                out.add(b);
            }
        }
        if (!replaced) {
            out.add(out.size() - 1, block);
        }
        return new Bundle(primary, out);
    }

    /** A copy with the first block of {@code type} replaced by {@code data} or added with a fresh number. */
    public Bundle withExtension(int type, long flags, byte[] data) {
        Optional<CanonicalBlock> existing = block(type);
        if (existing.isPresent()) {
            return withBlock(existing.get().withData(data));
        }
        return withBlock(new CanonicalBlock(type, nextBlockNumber(), flags, CrcType.NONE, data));
    }

    /**
     * A copy with a security block (BIB/BCB) inserted after the security blocks already at the
     * front, or replacing the block of the same number (RFC 9173 Appendix A places them so).
     */
    public Bundle withSecurityBlock(CanonicalBlock block) {
        if (blockNumber(block.number()).isPresent()) {
            return withBlock(block);
        }
        List<CanonicalBlock> out = new ArrayList<>(blocks);
        int i = 0;
        while (i < out.size() && (out.get(i).type() == BlockType.BLOCK_INTEGRITY
                || out.get(i).type() == BlockType.BLOCK_CONFIDENTIALITY)) {
            i++;
        }
        out.add(i, block);
        return new Bundle(primary, out);
    }

    public Bundle withoutBlock(long number) {
        List<CanonicalBlock> out = new ArrayList<>(blocks);
        out.removeIf(b -> b.number() == number);
        return new Bundle(primary, out);
    }

    /** The smallest block number above every number in use (and above 1). */
    public long nextBlockNumber() {
        long max = 1;
        for (CanonicalBlock b : blocks) {
            max = Math.max(max, b.number());
        }
        return max + 1;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a bundle from the seed's fields: source, destination, payload, lifetime, priority, receipt request. */
    public static final class Builder {
        private EndpointId source = EndpointId.NONE;
        private EndpointId destination;
        private EndpointId reportTo;
        private byte[] payload = new byte[0];
        private long lifetimeMillis = 86_400_000L;
        private long flags;
        private CrcType crcType = CrcType.CRC32C;
        private CreationTimestamp timestamp;
        private Integer priority;
        private Integer hopLimit;
        private final List<CanonicalBlock> extra = new ArrayList<>();

        public Builder source(EndpointId s) {
            source = s;
            return this;
        }

        public Builder destination(EndpointId d) {
            destination = d;
            return this;
        }

        public Builder reportTo(EndpointId r) {
            reportTo = r;
            return this;
        }

        public Builder payload(byte[] p) {
            payload = p.clone();
            return this;
        }

        public Builder lifetimeMillis(long ms) {
            lifetimeMillis = ms;
            return this;
        }

        public Builder lifetime(java.time.Duration d) {
            lifetimeMillis = d.toMillis();
            return this;
        }

        public Builder flags(long f) {
            flags = f;
            return this;
        }

        public Builder addFlags(long f) {
            flags |= f;
            return this;
        }

        public Builder deliveryReceiptRequested(boolean yes) {
            flags = yes ? flags | BundleFlags.REPORT_DELIVERY : flags & ~BundleFlags.REPORT_DELIVERY;
            return this;
        }

        public Builder crcType(CrcType t) {
            crcType = t;
            return this;
        }

        public Builder creationTimestamp(CreationTimestamp ts) {
            timestamp = ts;
            return this;
        }

        /** 0 bulk, 1 normal, 2 expedited; adds the class-of-service block unless normal. */
        public Builder priority(int p) {
            if (p < 0 || p > 2) {
                throw new IllegalArgumentException("priority is 0 (bulk), 1 (normal) or 2 (expedited)");
            }
            priority = p;
            return this;
        }

        public Builder hopLimit(int limit) {
            hopLimit = limit;
            return this;
        }

        public Builder extensionBlock(CanonicalBlock b) {
            extra.add(b);
            return this;
        }

        public Bundle build() {
            Objects.requireNonNull(destination, "destination");
            CreationTimestamp ts = timestamp != null ? timestamp : new CreationTimestamp(0, 0);
            PrimaryBlock p = new PrimaryBlock(flags, crcType, destination, source,
                    reportTo != null ? reportTo : source, ts, lifetimeMillis, 0, 0);
            List<CanonicalBlock> blocks = new ArrayList<>(extra);
            long next = 2;
            for (CanonicalBlock b : blocks) {
                next = Math.max(next, b.number() + 1);
            }
            if (ts.clockUnknown() && blocks.stream().noneMatch(b -> b.type() == BlockType.BUNDLE_AGE)) {
                blocks.add(new CanonicalBlock(BlockType.BUNDLE_AGE, next++, 0, crcType, ExtensionBlocks.encodeBundleAge(0)));
            }
            if (hopLimit != null) {
                blocks.add(new CanonicalBlock(BlockType.HOP_COUNT, next++, 0, crcType,
                        ExtensionBlocks.encodeHopCount(hopLimit, 0)));
            }
            if (priority != null && priority != 1) {
                blocks.add(new CanonicalBlock(BlockType.PRIORITY, next++, 0, crcType, ExtensionBlocks.encodePriority(priority)));
            }
            blocks.add(new CanonicalBlock(BlockType.PAYLOAD, 1, 0, crcType, payload));
            return new Bundle(p, blocks);
        }
    }
}
