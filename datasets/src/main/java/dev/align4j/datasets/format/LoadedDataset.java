package dev.align4j.datasets.format;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The records of one file.
 *
 * @param format the format read (detected or given)
 * @param skipped records left out because they were invalid (only with {@code skipInvalid})
 * @param skipReasons count per reason ({@code field: what}), for reports
 * @param firstProblems the first few skipped records' full messages, {@code file:line: field: what}
 */
public record LoadedDataset(Path file, DataFormat format, List<Example> examples, int skipped,
                            Map<String, Integer> skipReasons, List<String> firstProblems) {

    public LoadedDataset {
        examples = List.copyOf(examples);
        skipReasons = Map.copyOf(skipReasons);
        firstProblems = List.copyOf(firstProblems);
    }

    public int size() {
        return examples.size();
    }

    /** The examples as {@code type}; throws when one is of another type. */
    public <T extends Example> List<T> as(Class<T> type) {
        return examples.stream().map(type::cast).toList();
    }
}
