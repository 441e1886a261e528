package org.aivillage.navigator.internal;

/** Binary min-heap of node ids with double keys and decrease-key; capacity fixed at n. */
final class IndexedMinHeap {
    private final int[] nodes;
    private final double[] keys;
    /** Position of a node in the heap; valid only while the node is in the heap. */
    private final int[] pos;
    private int size;

    IndexedMinHeap(int n) {
        nodes = new int[Math.max(1, n)];
        keys = new double[Math.max(1, n)];
        pos = new int[Math.max(1, n)];
    }

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    double minKey() {
        return keys[0];
    }

    void insert(int v, double k) {
        int i = size++;
        siftUp(i, v, k);
    }

    /** Lowers the key of {@code v}, which must be in the heap. */
    void decrease(int v, double k) {
        siftUp(pos[v], v, k);
    }

    int pollMin() {
        int top = nodes[0];
        int last = --size;
        if (last > 0) {
            siftDown(0, nodes[last], keys[last]);
        }
        return top;
    }

    private void siftUp(int i, int v, double k) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            double pk = keys[parent];
            if (pk <= k) {
                break;
            }
            int pv = nodes[parent];
            nodes[i] = pv;
            keys[i] = pk;
            pos[pv] = i;
            i = parent;
        }
        nodes[i] = v;
        keys[i] = k;
        pos[v] = i;
    }

    private void siftDown(int i, int v, double k) {
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && keys[r] < keys[c]) {
                c = r;
            }
            if (keys[c] >= k) {
                break;
            }
            int cv = nodes[c];
            nodes[i] = cv;
            keys[i] = keys[c];
            pos[cv] = i;
            i = c;
        }
        nodes[i] = v;
        keys[i] = k;
        pos[v] = i;
    }
}
