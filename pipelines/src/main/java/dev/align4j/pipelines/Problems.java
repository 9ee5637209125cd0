package dev.align4j.pipelines;

import dev.align4j.core.UserInputException;
import java.util.ArrayList;
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
}
