package dev.align4j.pipelines;

import dev.align4j.core.UserInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Every problem found in a pipeline file, each as {@code file:line: field: what}, thrown at once. */
final class Problems {

    /** The origin of values given on the command line rather than in the file. */
    static final String CLI = "--set";

    private final YamlTree tree;
    private final List<Message> messages = new ArrayList<>();

    private record Message(long line, String text) {
    }

    Problems(YamlTree tree) {
        this.tree = tree;
    }

    /**
     * @param yamlPath where the value is in the file ({@code stages.1.config.lr}), or {@link #CLI}
     * @param field the name shown ({@code sft.lr}), or null
     */
    void add(String yamlPath, String field, String what) {
        if (CLI.equals(yamlPath)) {
            messages.add(new Message(0, UserInputException.at(CLI, 0, field, what).getMessage()));
        } else {
            long line = tree.line(yamlPath);
            messages.add(new Message(line, UserInputException.at(tree.file(), line, field, what).getMessage()));
        }
    }

    int count() {
        return messages.size();
    }

    void throwIfAny() {
        if (!messages.isEmpty()) {
            String head = messages.size() == 1 ? "" : messages.size() + " problems in " + tree.file() + ":\n";
            List<String> sorted = messages.stream().sorted(java.util.Comparator.comparingLong(Message::line))
                    .map(Message::text).distinct().toList();
            throw new UserInputException(head + String.join("\n", sorted));
        }
    }

    /** The valid name closest to {@code key} by edit distance, or null if none is close. */
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
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
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
