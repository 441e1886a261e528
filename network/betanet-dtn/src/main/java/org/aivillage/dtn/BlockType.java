package org.aivillage.dtn;

/** Block type codes (RFC 9171 section 9.1, RFC 9172) and this project's private extension block. */
public final class BlockType {
    private BlockType() {}

    public static final int PAYLOAD = 1;
    public static final int PREVIOUS_NODE = 6;
    public static final int BUNDLE_AGE = 7;
    public static final int HOP_COUNT = 10;
    public static final int BLOCK_INTEGRITY = 11;
    public static final int BLOCK_CONFIDENTIALITY = 12;
    /**
     * Class-of-service block (private/experimental range 192..255): block data is a CBOR unsigned
     * integer priority 0 (bulk), 1 (normal) or 2 (expedited), as BPv6's priority bits were. Nodes
     * that do not know it forward it unchanged (no "discard" or "delete" flag is set).
     */
    public static final int PRIORITY = 192;

    /** Whether this implementation processes the block type. */
    public static boolean isKnown(int type) {
        return switch (type) {
            case PAYLOAD, PREVIOUS_NODE, BUNDLE_AGE, HOP_COUNT, BLOCK_INTEGRITY, BLOCK_CONFIDENTIALITY, PRIORITY -> true;
            default -> false;
        };
    }
}
