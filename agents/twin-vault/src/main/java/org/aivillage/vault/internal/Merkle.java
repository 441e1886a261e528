package org.aivillage.vault.internal;

import java.util.ArrayList;
import java.util.List;
import org.aivillage.betanet.crypto.Hashes;

/**
 * The Merkle tree of RFC 9162 §2.1 (as in Certificate Transparency): leaf hash
 * SHA-256(0x00 || entry), interior node SHA-256(0x01 || left || right), split at the largest power
 * of two below the size; inclusion proofs (§2.1.3.1) and their verification (§2.1.3.2).
 */
public final class Merkle {
    private static final byte[] LEAF = {0x00};
    private static final byte[] NODE = {0x01};

    private Merkle() {}

    public static byte[] leafHash(byte[] entry) {
        return Hashes.sha256(LEAF, entry);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        return Hashes.sha256(NODE, left, right);
    }

    /** MTH over leaf hashes {@code leaves[from, to)}; the empty tree hashes to SHA-256(""). */
    public static byte[] root(List<byte[]> leaves) {
        return leaves.isEmpty() ? Hashes.sha256(new byte[0]) : root(leaves, 0, leaves.size());
    }

    private static byte[] root(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = split(n);
        return nodeHash(root(leaves, from, from + k), root(leaves, from + k, to));
    }

    /** The largest power of two smaller than {@code n} (n ≥ 2). */
    static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    /** PATH(m, D[n]): the inclusion proof of leaf {@code index}, bottom-up. */
    public static List<byte[]> inclusionPath(List<byte[]> leaves, int index) {
        if (index < 0 || index >= leaves.size()) {
            throw new IllegalArgumentException("leaf " + index + " outside a tree of " + leaves.size());
        }
        List<byte[]> out = new ArrayList<>();
        path(leaves, 0, leaves.size(), index, out);
        return out;
    }

    private static void path(List<byte[]> leaves, int from, int to, int m, List<byte[]> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = split(n);
        if (m < k) {
            path(leaves, from, from + k, m, out);
            out.add(root(leaves, from + k, to));
        } else {
            path(leaves, from + k, to, m - k, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /**
     * The root that an inclusion proof implies for a leaf (RFC 9162 §2.1.3.2), or null when the
     * proof cannot be valid for that index and size.
     */
    public static byte[] rootFromInclusionProof(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path) {
        if (leafIndex < 0 || treeSize < 1 || leafIndex >= treeSize) {
            return null;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (p == null || p.length != 32 || sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }
}
