package dev.align4j.datasets.format;

import dev.align4j.core.UserInputException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Renames canonical fields to the names a file uses: {@code instruction=question} reads the
 * instruction from {@code question}. Unmapped fields keep their canonical name.
 */
public final class ColumnMapping {

    /** Every canonical field name of every {@link DataFormat}. */
    public static final Set<String> CANONICAL = Set.of("instruction", "input", "output", "system", "conversations",
            "from", "value", "messages", "role", "content", "prompt", "completion", "text", "chosen", "rejected",
            "margin", "label");

    private static final ColumnMapping IDENTITY = new ColumnMapping(Map.of());

    private final Map<String, String> renames;

    private ColumnMapping(Map<String, String> renames) {
        this.renames = Map.copyOf(renames);
    }

    public static ColumnMapping identity() {
        return IDENTITY;
    }

    /** Parses {@code canonical=actual} entries, as given to {@code --map}. */
    public static ColumnMapping parse(Collection<String> entries) {
        Map<String, String> m = new TreeMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new UserInputException("--map: expected canonical=actual, got '" + e + "'");
            }
            String canonical = e.substring(0, eq).trim();
            if (!CANONICAL.contains(canonical)) {
                throw new UserInputException("--map: unknown field '" + canonical + "' (known: "
                        + new java.util.TreeSet<>(CANONICAL) + ")");
            }
            m.put(canonical, e.substring(eq + 1).trim());
        }
        return new ColumnMapping(m);
    }

    /** The name a file uses for {@code canonical}. */
    public String field(String canonical) {
        return renames.getOrDefault(canonical, canonical);
    }

    @Override
    public String toString() {
        return renames.toString();
    }
}
