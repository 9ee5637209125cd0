package dev.align4j.datasets.format;

import dev.align4j.core.UserInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads data files into typed {@link Example}s: {@link JsonRecords} streams the objects,
 * {@link DataFormat#detect} picks the format from the first one unless given, {@link RecordParser}
 * types each record. Errors read {@code file:line: field: what is wrong}.
 */
public final class DatasetLoader {

    private static final Logger LOG = LogManager.getLogger(DatasetLoader.class);
    private static final int KEPT_PROBLEMS = 10;

    private DatasetLoader() {
    }

    /** Every example of {@code file}, in file order. */
    public static LoadedDataset load(Path file, LoadOptions options) {
        List<Example> out = new ArrayList<>();
        Stats stats = stream(file, options, out::add);
        return new LoadedDataset(file, stats.format, out, stats.skipped, stats.reasons, stats.problems);
    }

    public static LoadedDataset load(Path file) {
        return load(file, LoadOptions.defaults());
    }

    /** What {@link #stream} saw. */
    public static final class Stats {
        private DataFormat format;
        private int read;
        private int skipped;
        private final Map<String, Integer> reasons = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private final int kept;

        private Stats(int kept) {
            this.kept = kept;
        }

        public DataFormat format() {
            return format;
        }

        public int read() {
            return read;
        }

        public int skipped() {
            return skipped;
        }
    }

    /**
     * Every bad record of {@code file} in one pass ({@code file:line: field: what}), the first
     * {@code shown} kept, all counted. A fault that ends the file (a syntax error inside a JSON
     * array, an unreadable gzip stream) is the last problem listed, with {@code complete} false.
     */
    public static Validation validate(Path file, LoadOptions options, int shown) {
        Stats stats = new Stats(shown);
        String fatal = null;
        try {
            streamInto(stats, file, options.withSkipInvalid(true), ex -> { }, false);
        } catch (UserInputException e) {
            if (stats.read == 0 && stats.skipped == 0) {
                throw e; // nothing read: the file itself is the problem (missing, empty, no format)
            }
            fatal = e.getMessage();
        }
        List<String> problems = new ArrayList<>(stats.problems);
        int bad = stats.skipped;
        if (fatal != null) {
            bad++;
            if (problems.size() < shown) {
                problems.add(fatal + " (reading stopped here)");
            }
        }
        return new Validation(file, stats.format, stats.read, bad, problems, fatal == null);
    }

    /**
     * What {@link #validate} found.
     *
     * @param valid records that parsed
     * @param invalid bad records (a fault that stopped reading counts as one)
     * @param shown the first problems, {@code file:line: field: what}
     * @param complete false when a fault stopped reading before the end of the file
     */
    public record Validation(Path file, DataFormat format, int valid, int invalid, List<String> shown,
                             boolean complete) {
        public Validation {
            shown = List.copyOf(shown);
        }
    }

    /** Streams the examples of {@code file} to {@code sink} without holding them. */
    public static Stats stream(Path file, LoadOptions options, Consumer<Example> sink) {
        Stats stats = new Stats(KEPT_PROBLEMS);
        streamInto(stats, file, options, sink, true);
        return stats;
    }

    private static void streamInto(Stats stats, Path file, LoadOptions options, Consumer<Example> sink,
                                   boolean warn) {
        RecordParser[] parser = {null};
        JsonRecords.read(file, raw -> {
            if (raw.error() != null) {
                skipOrThrow(stats, options, new RecordError(null, raw.error()), raw.source());
                return;
            }
            if (parser[0] == null) {
                stats.format = options.format() != null ? options.format()
                        : DataFormat.detect(raw.node(), options.mapping()).orElseThrow(() -> UserInputException.at(
                                file, raw.source().line(), null, "cannot detect the format from fields "
                                        + fieldNames(raw.node()) + "; pass --format"));
                parser[0] = new RecordParser(stats.format, options.mapping());
                LOG.debug("{}: format {}", file, stats.format);
            }
            Example ex;
            try {
                ex = parser[0].parse(raw.node(), raw.source());
            } catch (RecordError e) {
                skipOrThrow(stats, options, e, raw.source());
                return;
            }
            stats.read++;
            sink.accept(options.promptsOnly() && !(ex instanceof PromptExample)
                    ? new PromptExample(ex.source(), ex.prompt()) : ex);
        });
        if (stats.format == null) {
            if (stats.skipped == 0) {
                throw new UserInputException(file + ": no records");
            }
            stats.format = options.format();
        }
        if (warn && stats.skipped > 0) {
            LOG.warn("{}: skipped {} invalid records of {}: {}", file, stats.skipped, stats.read + stats.skipped, stats.reasons);
        }
    }

    private static void skipOrThrow(Stats stats, LoadOptions options, RecordError e, Source src) {
        if (!options.skipInvalid()) {
            throw e.at(src);
        }
        stats.skipped++;
        stats.reasons.merge(e.getMessage(), 1, Integer::sum);
        if (stats.problems.size() < stats.kept) {
            stats.problems.add(e.at(src).getMessage());
        }
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
