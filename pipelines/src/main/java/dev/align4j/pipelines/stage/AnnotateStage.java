package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.annotate.LabelEntry;
import dev.align4j.annotate.LabelLog;
import dev.align4j.annotate.LabelSet;
import dev.align4j.annotate.Pair;
import dev.align4j.annotate.PairFile;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code kind: annotate}: people's labels, the pipeline's human-in-the-loop break. Until the
 * {@code labels} file (what {@code align4j annotate} writes) holds enough labels for the {@code
 * pairs}, the pipeline stops before this stage and prints the command to label them with ({@link
 * #awaiting}); once it does, the stage keeps a copy of the labels ({@code labels.jsonl}) and exports
 * them by majority vote to {@code data.jsonl} for a {@code reward} or {@code dpo} stage. The labels
 * file's content is part of the stage's input hash, so more labels rerun it and every stage after it.
 *
 * <p>Whose labels count: the {@code annotators} listed, each of whom must have labelled or skipped
 * {@code min_labels} pairs; without a list, every human annotator in the file, and {@code
 * min_labels} pairs must have a label or skip from any of them. Labels of pairs that are not in the
 * pairs file are left out.
 */
public final class AnnotateStage implements Stage {

    private static final Logger LOG = LogManager.getLogger(AnnotateStage.class);
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+-]+");

    /**
     * @param pairs the pairs to label, as for {@code align4j annotate --in} (required)
     * @param labels the labels file people write with {@code align4j annotate --out}; it need not exist
     *     yet (required)
     * @param minLabels labels needed before the stage runs (default: every pair)
     * @param annotators the people whose labels count, each needing {@code min_labels}; null for every
     *     human annotator in the file
     * @param skipInvalid skip bad pair records, as {@code --skip-invalid} (default false)
     * @param keepTiesAsKto export KTO records, ties as two acceptable responses (default false)
     */
    public record Config(@JsonProperty("pairs") String pairs, @JsonProperty("labels") String labels,
            @JsonProperty("min_labels") Integer minLabels, @JsonProperty("annotators") List<String> annotators,
            @JsonProperty("skip_invalid") Boolean skipInvalid, @JsonProperty("keep_ties_as_kto") Boolean keepTiesAsKto) {
        public Config {
            if (pairs == null || labels == null) {
                throw new IllegalArgumentException("pairs and labels are required");
            }
            annotators = annotators == null ? null : Collections.unmodifiableList(new ArrayList<>(annotators));
            skipInvalid = skipInvalid != null && skipInvalid;
            keepTiesAsKto = keepTiesAsKto != null && keepTiesAsKto;
        }

        /** Every bad value, each on its key. */
        void checkValues() {
            List<String> problems = new ArrayList<>();
            if (Files.isDirectory(Path.of(labels))) {
                problems.add(LabelExport.bad("labels", labels + " is a folder; give the labels file"));
            }
            if (minLabels != null && minLabels < 1) {
                problems.add(LabelExport.bad("min_labels", "must be at least 1, got " + minLabels));
            }
            if (annotators != null && (annotators.isEmpty() || annotators.stream().anyMatch(a -> a == null || a.isBlank()))) {
                problems.add(LabelExport.bad("annotators", "must be a non-empty list of names"));
            } else if (annotators != null && new HashSet<>(annotators).size() != annotators.size()) {
                problems.add(LabelExport.bad("annotators", "names a person twice: " + annotators));
            }
            LabelExport.throwIfAny(problems);
        }
    }

    /**
     * The labels that count and how far they are.
     *
     * @param labels the counted annotators' entries of the pairs in the pairs file
     * @param done per counted annotator (or {@code *} for anyone) the pairs labelled or skipped
     */
    private record Progress(int pairs, int needed, List<LabelEntry> labels, Map<String, Integer> done) {
        boolean complete() {
            return done.values().stream().allMatch(n -> n >= needed);
        }

        String describe() {
            if (done.containsKey(ANYONE)) {
                return String.format(Locale.ROOT, "%d of %d pairs labelled or skipped, %d needed", done.get(ANYONE),
                        pairs, needed);
            }
            return done.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                    + " of " + pairs + " pairs labelled or skipped, " + needed + " needed from each";
        }
    }

    private static final String ANYONE = "*";

    @Override
    public Set<String> keys() {
        return StageKeys.of(Config.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("pairs");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("labels", LabelExport.LABELS, "data", LabelExport.DATA, "dir", ".");
    }

    @Override
    public void check(StageConfig c) {
        c.bind(Config.class).checkValues();
    }

    @Override
    public Optional<HumanInput> awaiting(StageConfig c) {
        Config cfg = c.bind(Config.class);
        cfg.checkValues();
        Progress p = progress(c.name(), cfg, Path.of(cfg.labels()));
        if (p.complete()) {
            return Optional.empty();
        }
        String base = "./align4j annotate --in " + quote(cfg.pairs()) + " --out " + quote(cfg.labels())
                + (cfg.skipInvalid() ? " --skip-invalid" : "") + " --annotator ";
        List<String> commands = new ArrayList<>();
        if (cfg.annotators() == null) {
            commands.add(base + "NAME");
        } else {
            cfg.annotators().stream().filter(a -> p.done().get(a) < p.needed())
                    .forEach(a -> commands.add(base + quote(a)));
        }
        return Optional.of(new HumanInput(p.describe(), commands));
    }

    @Override
    public StageOutcome run(StageConfig c) {
        Config cfg = c.bind(Config.class);
        cfg.checkValues();
        Path copy = c.dir().resolve(LabelExport.LABELS);
        try { // the copy is what gets exported, so it and data.jsonl agree while people keep labelling
            AtomicFiles.write(copy, Files.readAllBytes(Path.of(cfg.labels())));
        } catch (IOException e) {
            throw new UserInputException(cfg.labels() + ": cannot read: " + e.getMessage(), e);
        }
        Progress p = progress(c.name(), cfg, copy);
        if (!p.complete()) { // the runner asked awaiting() first; the file shrank since
            throw new UserInputException(cfg.labels() + ": not enough labels: " + p.describe());
        }
        String exported = LabelExport.write(LabelSet.of(p.labels()), cfg.keepTiesAsKto(),
                c.dir().resolve(LabelExport.DATA), cfg.labels());
        return StageOutcome.done("annotate: " + p.describe() + "; " + exported);
    }

    private static Progress progress(String stage, Config cfg, Path labelsFile) {
        List<Pair> pairs = PairFile.read(Path.of(cfg.pairs()), cfg.skipInvalid());
        int needed = cfg.minLabels() == null ? pairs.size() : cfg.minLabels();
        if (needed > pairs.size()) {
            throw new UserInputException(stage + ".min_labels: " + needed + " but " + cfg.pairs() + " has only "
                    + pairs.size() + " pairs");
        }
        Set<String> ids = pairs.stream().map(Pair::id).collect(Collectors.toSet());
        List<LabelEntry> all = LabelLog.read(labelsFile).entries();
        Set<String> counted = cfg.annotators() != null ? new LinkedHashSet<>(cfg.annotators())
                : all.stream().filter(e -> e.kind() == LabelEntry.Kind.HUMAN).map(LabelEntry::annotator)
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        List<LabelEntry> kept = all.stream().filter(e -> ids.contains(e.pairId()) && counted.contains(e.annotator()))
                .toList();
        long foreign = all.stream().filter(e -> !ids.contains(e.pairId())).count();
        if (foreign > 0) {
            LOG.warn("{}: {} entries are of pairs not in {}; left out", cfg.labels(), foreign, cfg.pairs());
        }
        LabelSet set = LabelSet.of(kept);
        Map<String, Integer> done = new LinkedHashMap<>();
        if (cfg.annotators() == null) {
            done.put(ANYONE, (int) ids.stream().filter(id -> counted.stream()
                    .anyMatch(a -> set.label(a, id).isPresent())).count());
        } else {
            for (String a : cfg.annotators()) {
                done.put(a, (int) ids.stream().filter(id -> set.label(a, id).isPresent()).count());
            }
        }
        return new Progress(pairs.size(), needed, kept, done);
    }

    /** A path or name as one shell word. */
    private static String quote(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
