package org.aivillage.navigator.internal;

import java.util.Arrays;

/** Growable binary min-heap of label ids keyed by a double (no decrease-key; stale entries are skipped by callers). */
final class LabelHeap {
    private int[] ids = new int[64];
    private double[] keys = new double[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void push(int id, double key) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (keys[p] <= key) {
                break;
            }
            ids[i] = ids[p];
            keys[i] = keys[p];
            i = p;
        }
        ids[i] = id;
        keys[i] = key;
    }

    int pop() {
        int top = ids[0];
        int last = --size;
        if (last > 0) {
            int id = ids[last];
            double key = keys[last];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                if (c + 1 < size && keys[c + 1] < keys[c]) {
                    c++;
                }
                if (keys[c] >= key) {
                    break;
                }
                ids[i] = ids[c];
                keys[i] = keys[c];
                i = c;
            }
            ids[i] = id;
            keys[i] = key;
        }
        return top;
    }
}
