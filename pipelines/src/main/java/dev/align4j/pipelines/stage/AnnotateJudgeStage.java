package dev.align4j.pipelines.stage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.annotate.JudgeRun;
import dev.align4j.annotate.JudgeSpec;
import dev.align4j.annotate.LabelSet;
import dev.align4j.annotate.ModelJudges;
import dev.align4j.annotate.Pair;
import dev.align4j.annotate.PairFile;
import dev.align4j.annotate.PairJudge;
import dev.align4j.core.UserInputException;
import dev.align4j.core.train.Devices;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code kind: annotate-judge}: labels pairs with a judge ({@code align4j annotate judge}: a reward
 * model, the sentiment task's exact judge or a rule), writes them as {@code labels.jsonl} in the
 * human labels' format, then exports them ({@code align4j annotate export}) to {@code data.jsonl},
 * the preference data a {@code reward} or {@code dpo} stage reads.
 */
public final class AnnotateJudgeStage implements Stage {

    private static final String RM_PREFIX = "reward-model:";

    /**
     * The keys of {@code annotate judge}'s flags, with its defaults.
     *
     * @param judge {@code reward-model:DIR}, {@code sentiment}, {@code rule:longer}, {@code rule:shorter},
     *     {@code rule:regex=PATTERN} or {@code rule:no-regex=PATTERN} (required)
     * @param in the pairs: {@code {id?, prompt, responses: [a, b]}} or any preference file (required)
     * @param margin a tie when {@code |score_a - score_b| < margin} (default 0: only equal scores)
     * @param lexicon the sentiment judge's lexicon, null for the task's
     * @param batchSize reward-model sequences per forward pass (default 16)
     * @param device auto, cpu, gpu or gpu:N (default auto)
     * @param skipInvalid skip bad pair records instead of stopping (default false)
     * @param keepTiesAsKto export KTO records, ties as two acceptable responses (default false)
     */
    public record Config(@JsonProperty("judge") String judge, @JsonProperty("in") String in,
            @JsonProperty("margin") Double margin, @JsonProperty("lexicon") String lexicon,
            @JsonProperty("batch_size") Integer batchSize, @JsonProperty("device") String device,
            @JsonProperty("skip_invalid") Boolean skipInvalid, @JsonProperty("keep_ties_as_kto") Boolean keepTiesAsKto) {
        public Config {
            if (judge == null || in == null) {
                throw new IllegalArgumentException("judge and in are required");
            }
            margin = margin == null ? 0.0 : margin;
            batchSize = batchSize == null ? 16 : batchSize;
            device = device == null ? "auto" : device;
            skipInvalid = skipInvalid != null && skipInvalid;
            keepTiesAsKto = keepTiesAsKto != null && keepTiesAsKto;
        }

        /** Every bad value, each on its key. */
        void checkValues() {
            List<String> problems = new ArrayList<>();
            try {
                JudgeSpec.parse(judge);
            } catch (UserInputException e) {
                problems.add(LabelExport.bad("judge", e.getMessage().replaceFirst("^--judge ?", "")));
            }
            try {
                new JudgeRun.Options(margin);
            } catch (IllegalArgumentException e) {
                problems.add(LabelExport.bad("margin", e.getMessage()));
            }
            if (batchSize < 1) {
                problems.add(LabelExport.bad("batch_size", "must be at least 1, got " + batchSize));
            }
            LabelExport.throwIfAny(problems);
        }
    }

    @Override
    public Set<String> keys() {
        return StageKeys.of(Config.class);
    }

    @Override
    public Set<String> pathKeys() {
        return Set.of("in", "lexicon");
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of("labels", LabelExport.LABELS, "data", LabelExport.DATA, "dir", ".");
    }

    @Override
    public List<String> embeddedPaths(ObjectNode config) {
        JsonNode j = config.get("judge");
        return j != null && j.isTextual() && j.textValue().startsWith(RM_PREFIX)
                ? List.of(j.textValue().substring(RM_PREFIX.length())) : List.of();
    }

    @Override
    public void check(StageConfig c) {
        c.bind(Config.class).checkValues();
    }

    @Override
    public StageOutcome run(StageConfig c) {
        Config cfg = c.bind(Config.class);
        cfg.checkValues();
        JudgeSpec spec = JudgeSpec.parse(cfg.judge());
        List<Pair> pairs = PairFile.read(Path.of(cfg.in()), cfg.skipInvalid());
        JudgeRun.Result r;
        try (PairJudge j = ModelJudges.open(spec, Devices.resolve(cfg.device()),
                cfg.lexicon() == null ? null : Path.of(cfg.lexicon()), cfg.batchSize())) {
            r = JudgeRun.run(pairs, j, new JudgeRun.Options(cfg.margin()), Clock.systemUTC());
        }
        JudgeRun.write(c.dir().resolve(LabelExport.LABELS), r.labels());
        String exported = LabelExport.write(LabelSet.of(r.labels()), cfg.keepTiesAsKto(),
                c.dir().resolve(LabelExport.DATA), c.name());
        return StageOutcome.done(String.format(Locale.ROOT, "%s: %d pairs: %d A, %d B, %d ties (%.1f%%); %s",
                spec.name(), pairs.size(), r.a(), r.b(), r.ties(), 100.0 * r.ties() / pairs.size(), exported));
    }
}
