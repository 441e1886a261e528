package org.aivillage.navigator.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The immutable shape of a topology in compressed sparse row form: the out-edges of node v are
 * edge ids {@code outStart[v] .. outStart[v+1]-1}, sorted by head; {@code inEdges} lists edge ids
 * by head for reverse searches. Snapshots that differ only in metrics share one structure.
 */
public final class Structure {
    public final int n;
    public final int m;
    public final String[] names;
    private final Map<String, Integer> index;
    public final int[] outStart;
    public final int[] head;
    public final int[] tail;
    public final int[] inStart;
    public final int[] inEdges;
    /** CSR edge id to the raw graph's edge index. */
    final int[] rawIndex;

    private static final int POOL_LIMIT = 8;
    private final ConcurrentLinkedQueue<Workspace> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    Structure(RawGraph raw) {
        n = raw.nodeCount();
        m = raw.edgeCount();
        names = raw.names().clone();
        index = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            index.put(names[i], i);
        }
        outStart = new int[n + 1];
        int[] src = raw.src();
        int[] dst = raw.dst();
        for (int e = 0; e < m; e++) {
            outStart[src[e] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            outStart[v + 1] += outStart[v];
        }
        int[] fill = Arrays.copyOf(outStart, n);
        rawIndex = new int[m];
        for (int e = 0; e < m; e++) {
            rawIndex[fill[src[e]]++] = e;
        }
        head = new int[m];
        tail = new int[m];
        long[] keyed = new long[0];
        for (int v = 0; v < n; v++) {
            int a = outStart[v];
            int b = outStart[v + 1];
            if (b - a > 1) {
                if (keyed.length < b - a) {
                    keyed = new long[b - a];
                }
                for (int i = a; i < b; i++) {
                    keyed[i - a] = ((long) dst[rawIndex[i]] << 32) | rawIndex[i];
                }
                Arrays.sort(keyed, 0, b - a);
                for (int i = a; i < b; i++) {
                    rawIndex[i] = (int) keyed[i - a];
                }
            }
            for (int i = a; i < b; i++) {
                head[i] = dst[rawIndex[i]];
                tail[i] = v;
            }
        }
        inStart = new int[n + 1];
        for (int e = 0; e < m; e++) {
            inStart[head[e] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            inStart[v + 1] += inStart[v];
        }
        int[] fillIn = Arrays.copyOf(inStart, n);
        inEdges = new int[m];
        for (int e = 0; e < m; e++) {
            inEdges[fillIn[head[e]]++] = e;
        }
    }

    /** The node index of {@code id}, or -1. */
    public int node(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    /** The edge id of a → b, or -1. */
    public int edge(int a, int b) {
        int lo = outStart[a];
        int hi = outStart[a + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int h = head[mid];
            if (h < b) {
                lo = mid + 1;
            } else if (h > b) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    Workspace acquire() {
        Workspace w = pool.poll();
        if (w != null) {
            pooled.decrementAndGet();
            return w;
        }
        return new Workspace(n, m);
    }

    void release(Workspace w) {
        if (pooled.incrementAndGet() <= POOL_LIMIT) {
            pool.offer(w);
        } else {
            pooled.decrementAndGet();
        }
    }

    /** Approximate heap bytes held by the arrays of this structure. */
    long footprintBytes() {
        return 4L * (outStart.length + head.length + tail.length + inStart.length + inEdges.length + rawIndex.length)
                + 64L * n;
    }
}
