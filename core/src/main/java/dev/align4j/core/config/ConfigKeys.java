package dev.align4j.core.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The keys a config record accepts, as Jackson sees them, and "did you mean" suggestions. */
final class ConfigKeys {

    private ConfigKeys() {}

    /** Property names Jackson would deserialize into {@code type} (the {@code @JsonProperty} names). */
    static Set<String> of(ObjectMapper mapper, Class<?> type) {
        BeanDescription desc = mapper.getDeserializationConfig().introspect(mapper.constructType(type));
        Set<String> names = new LinkedHashSet<>();
        for (BeanPropertyDefinition p : desc.findProperties()) {
            if (p.couldDeserialize()) {
                names.add(p.getName());
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /** The valid key closest to {@code key} by edit distance, or null if none is close. */
    static String closest(String key, Collection<String> valid) {
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
    static int distance(String a, String b) {
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
