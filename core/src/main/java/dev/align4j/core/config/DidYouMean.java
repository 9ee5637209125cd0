package dev.align4j.core.config;

import java.util.Collection;

/**
 * "Did you mean" suggestions for mistyped names: the config loader uses it for unknown config keys and
 * the pipeline loader for unknown stage keys, so both suggest the same way.
 */
public final class DidYouMean {

    private DidYouMean() {}

    /** The valid key closest to {@code key} by edit distance, or null if none is close. */
    public static String closest(String key, Collection<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String v : valid) {
            int d = distance(key, v);
            if (d < bestDistance) {
                best = v;
                bestDistance = d;
            }
        }
        // a third of the key's length, at least 2: catches typos, not unrelated short words
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    /** Levenshtein distance with two rolling rows. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
