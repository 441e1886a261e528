package org.aivillage.config.internal;

import java.util.Collection;
import java.util.Optional;

/** Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions). */
public final class EditDistance {
    private EditDistance() {}

    public static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }

    /**
     * The candidate closest to {@code word}, if it is close enough to be a plausible typo: at most
     * max(2, length/3) edits, or one name containing the other (e.g. {@code port} /
     * {@code listen_port}). Ties go to the earlier candidate.
     */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        if (word.length() > 200) {
            return Optional.empty(); // bounded work for absurd input
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int dist = distance(word, c);
            if (dist < bestDistance) {
                best = c;
                bestDistance = dist;
            }
        }
        if (best != null && bestDistance <= Math.max(2, word.length() / 3)) {
            return Optional.of(best);
        }
        if (word.length() >= 3) {
            for (String c : candidates) {
                if (c.contains(word) || word.contains(c)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }
}
