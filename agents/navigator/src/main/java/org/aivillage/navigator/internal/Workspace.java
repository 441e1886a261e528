package org.aivillage.navigator.internal;

/**
 * Scratch arrays for one search at a time, reused across searches through generation stamps so
 * that nothing of size n is cleared per query. Taken from and returned to the structure's pool.
 */
final class Workspace {
    final double[] dist;
    final int[] predEdge;
    final int[] seen;
    final int[] settled;
    /** Node is blocked when {@code blockedNode[v] == blockGen}. */
    final int[] blockedNode;
    /** Edge is blocked when {@code blockedEdge[e] == blockGen}. */
    final int[] blockedEdge;
    final IndexedMinHeap heap;
    int gen;
    int blockGen;

    Workspace(int n, int m) {
        dist = new double[n];
        predEdge = new int[n];
        seen = new int[n];
        settled = new int[n];
        blockedNode = new int[n];
        blockedEdge = new int[m];
        heap = new IndexedMinHeap(n);
    }

    /** Starts a new search: every node becomes unseen. */
    int nextGen() {
        if (++gen == Integer.MAX_VALUE) {
            java.util.Arrays.fill(seen, 0);
            java.util.Arrays.fill(settled, 0);
            gen = 1;
        }
        heap.clear();
        return gen;
    }

    /** Starts a new set of blocks: nothing is blocked. */
    int nextBlockGen() {
        if (++blockGen == Integer.MAX_VALUE) {
            java.util.Arrays.fill(blockedNode, 0);
            java.util.Arrays.fill(blockedEdge, 0);
            blockGen = 1;
        }
        return blockGen;
    }
}
