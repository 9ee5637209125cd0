package dev.align4j.rl;

import ai.djl.Device;
import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.arithmetic.Answers;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentGrammar;
import dev.align4j.datasets.sentiment.SentimentJudge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reward functions chosen by name, as in TRL's {@code reward_funcs} / {@code reward_weights}: each
 * entry of {@code reward_funcs} is a spec {@code KIND[:ARG]}, and the reward of a row is
 * {@code sum_k w_k * f_k(row)}. Kinds (see the module README for each one's source):
 * <ul>
 *   <li>{@code reward-model:DIR}: a reward model folder's raw score (TRL uses raw scores; its
 *       {@code reward_stats.json} is not applied), on the policy's token ids, so its tokenizer must
 *       equal the policy's ({@link TokenizerCheck});
 *   <li>{@code sentiment}: the sentiment task's lexicon judge ({@link Lexicon#resolve} of null);
 *   <li>{@code sentiment-grammar}: the task's format reward, 1 when prompt + response is a sentence
 *       of the corpus's grammar ({@link RewardFunction#sentimentGrammar}), else 0;
 *   <li>{@code exact-match}: 1 when the response text equals the row's {@code answer} after
 *       {@link Answers#normalize}, else 0;
 *   <li>{@code numeric[:TOL]}: 1 when the first number of the response is within TOL (default 0) of
 *       the answer's number, else 0;
 *   <li>{@code regex:PATTERN}: 1 when the pattern is found in the response text, else 0;
 *   <li>{@code length[:MAX[:BUFFER]]}: DAPO's soft overlong punishment on L response tokens (EOS
 *       excluded): 0 for L &lt;= MAX - BUFFER, -(L - (MAX - BUFFER)) / BUFFER up to MAX, -1 above;
 *       MAX defaults to the context's max_new_tokens, BUFFER to MAX / 4;
 *   <li>{@code gate:SPEC}: a gate on any other kind, e.g. {@code gate:sentiment-grammar}: where SPEC
 *       scores {@code <= 0} the row's reward is the gate's weight (e.g. -1) instead of the sum of the
 *       other functions; where it scores {@code > 0} the gate adds nothing ({@link CombinedReward}).
 * </ul>
 * Response text is the decoded response with trailing EOS ids dropped.
 */
public final class RewardFuncs {

    /** The kinds with the form of their argument, for messages. */
    public static final List<String> KINDS = List.of("reward-model:DIR", "sentiment", "sentiment-grammar", "exact-match", "numeric[:TOL]",
            "regex:PATTERN", "length[:MAX[:BUFFER]]", "gate:SPEC");

    /** One parsed entry of reward_funcs. name() is the metric name (e.g. "sentiment", "exact_match", "reward_model", "regex", "length"). */
    public record Spec(String name, String kind, String arg) {
    }

    /**
     * What loading needs from the trainer.
     *
     * @param tokenizer the policy's tokenizer (decodes responses; reward models must share it)
     * @param device where reward models are loaded
     * @param batchSize sequences per reward-model forward
     * @param maxNewTokens the longest response; the default MAX of {@code length}
     */
    public record Context(Tokenizer tokenizer, Device device, int batchSize, int maxNewTokens) {
    }

    private RewardFuncs() {
    }

    /** Parses one spec; bad text throws UserInputException naming {@code field} (e.g. "reward_funcs[1]") and listing valid kinds. */
    public static Spec parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw bad(field, "empty reward function");
        }
        String t = text.strip();
        int colon = t.indexOf(':');
        String kind = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT).replace('_', '-');
        String arg = colon < 0 ? null : t.substring(colon + 1);
        switch (kind) {
            case "reward-model" -> requireArg(field, kind, arg, "a reward model folder");
            case "sentiment", "sentiment-grammar", "exact-match" -> {
                if (arg != null) {
                    throw bad(field, kind + " takes no argument, got '" + t + "'");
                }
            }
            case "numeric" -> tolerance(field, arg);
            case "regex" -> pattern(field, requireArg(field, kind, arg, "a pattern"));
            case "length" -> lengths(field, arg, 1);
            case "gate" -> {
                Spec inner = parse(requireArg(field, kind, arg, "the reward function it gates"), field);
                if (inner.kind().equals("gate")) {
                    throw bad(field, "a gate cannot hold another gate: '" + t + "'");
                }
                return new Spec("gate_" + inner.name(), kind, inner.kind() + (inner.arg() == null ? "" : ":" + inner.arg()));
            }
            default -> throw bad(field, "unknown reward function '" + t + "'");
        }
        return new Spec(kind.replace('-', '_'), kind, arg);
    }

    /** Checks specs + weights without loading anything (sizes match, weights finite, files exist): for config validation. */
    public static List<Spec> validate(List<String> specs, List<Double> weights) {
        if (specs == null || specs.isEmpty()) {
            throw new UserInputException("reward_funcs: give at least one of " + String.join(", ", KINDS));
        }
        if (weights != null && weights.size() != specs.size()) {
            throw new UserInputException("reward_weights: " + weights.size() + " weights for " + specs.size()
                    + " reward_funcs; give one weight per function or none (all 1.0)");
        }
        List<Spec> out = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            String field = "reward_funcs[" + i + "]";
            Spec s = parse(specs.get(i), field);
            Spec gated = s.kind().equals("gate") ? parse(s.arg(), field) : s;
            if (gated.kind().equals("reward-model")) {
                Path dir = Path.of(gated.arg());
                if (!Files.isDirectory(dir)) {
                    throw new UserInputException(field + ": " + specs.get(i) + ": folder not found: " + dir);
                }
                if (!Files.isRegularFile(dir.resolve(RewardBundle.HEAD))) {
                    throw new UserInputException(field + ": " + specs.get(i) + ": not a reward model folder ("
                            + RewardBundle.HEAD + " is missing)");
                }
            }
            if (weights != null) {
                Double w = weights.get(i);
                if (w == null || !Double.isFinite(w)) {
                    throw new UserInputException("reward_weights[" + i + "]: must be a finite number, got " + w);
                }
            }
            out.add(s);
        }
        return out;
    }

    /** Loads every function (reward model folders on ctx.device()); weights null = all 1.0. */
    public static CombinedReward load(List<String> specs, List<Double> weights, Context ctx) {
        List<Spec> parsed = validate(specs, weights);
        List<String> names = uniqueNames(parsed);
        List<CombinedReward.Component> parts = new ArrayList<>();
        List<RewardBundle> opened = new ArrayList<>();
        try {
            for (int i = 0; i < parsed.size(); i++) {
                String field = "reward_funcs[" + i + "]: " + specs.get(i);
                Spec s = parsed.get(i);
                boolean gate = s.kind().equals("gate");
                RewardFunction f = function(gate ? parse(s.arg(), field) : s, field, ctx, opened);
                parts.add(new CombinedReward.Component(names.get(i), weights == null ? 1.0 : weights.get(i), f, gate));
            }
        } catch (RuntimeException e) {
            opened.forEach(RewardBundle::close);
            throw e;
        }
        return new CombinedReward(parts, opened);
    }

    /** Metric names in order; a repeated name gets {@code _2}, {@code _3}, ... */
    static List<String> uniqueNames(List<Spec> specs) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> out = new ArrayList<>(specs.size());
        for (Spec s : specs) {
            int k = seen.merge(s.name(), 1, Integer::sum);
            out.add(k == 1 ? s.name() : s.name() + "_" + k);
        }
        return out;
    }

    private static RewardFunction function(Spec s, String field, Context ctx, List<RewardBundle> opened) {
        Tokenizer tok = ctx.tokenizer();
        return switch (s.kind()) {
            case "reward-model" -> {
                RewardBundle rm = RewardBundle.load(Path.of(s.arg()), ctx.device());
                opened.add(rm);
                TokenizerCheck.require(tok, rm.base().tokenizer(), List.of(), field);
                int context = rm.base().config().contextLength();
                if (ctx.maxNewTokens() >= context) {
                    throw new UserInputException(field + ": max_new_tokens " + ctx.maxNewTokens()
                            + " leaves no room for a prompt in the reward model's context of " + context + " tokens");
                }
                yield RewardFunction.rewardModel(rm, ctx.batchSize());
            }
            case "sentiment" -> RewardFunction.sentiment(new SentimentJudge(Lexicon.resolve(null)), tok);
            case "sentiment-grammar" -> RewardFunction.sentimentGrammar(new SentimentGrammar(Lexicon.resolve(null)), tok);
            case "exact-match" -> withAnswers(tok, field, s.kind(), (text, answer) -> Answers.exactMatch(text, answer) ? 1 : 0);
            case "numeric" -> {
                double tol = tolerance(field, s.arg());
                yield withAnswers(tok, field, s.kind(), (text, answer) -> {
                    if (Answers.firstNumber(answer).isEmpty()) {
                        throw new UserInputException(field + ": the reference answer '" + answer + "' holds no number");
                    }
                    return Answers.numericMatch(text, answer, tol) ? 1 : 0;
                });
            }
            case "regex" -> {
                Pattern p = pattern(field, s.arg());
                yield RewardFunction.rule(tok, text -> p.matcher(text).find() ? 1 : 0);
            }
            case "length" -> {
                int[] mb = lengths(field, s.arg(), ctx.maxNewTokens());
                yield in -> {
                    float[] out = new float[in.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (float) overlong(withoutEos(in.responses().get(i), tok.eosId()).length, mb[0], mb[1]);
                    }
                    return out;
                };
            }
            default -> throw new IllegalStateException("unhandled kind " + s.kind());
        };
    }

    /**
     * DAPO's soft overlong punishment (Yu et al. 2025, eq. 13).
     *
     * @param length response tokens, EOS excluded
     * @return 0 up to {@code max - buffer}, falling linearly to -1 at {@code max}, -1 beyond
     */
    public static double overlong(int length, int max, int buffer) {
        int free = max - buffer;
        if (length <= free) {
            return 0;
        }
        return length <= max ? -(double) (length - free) / buffer : -1;
    }

    /** A rule on (response text, reference answer); a row without an answer is an error. */
    private interface AnswerRule {
        double score(String text, String answer);
    }

    private static RewardFunction withAnswers(Tokenizer tok, String field, String kind, AnswerRule rule) {
        return in -> {
            float[] out = new float[in.size()];
            for (int i = 0; i < out.length; i++) {
                String answer = in.answers().get(i);
                if (answer == null) {
                    throw new UserInputException(field + ": row " + i + " has no reference answer; "
                            + kind + " needs an `answer` field in the prompts file");
                }
                String text = tok.decode(withoutEos(in.responses().get(i), tok.eosId()));
                out[i] = (float) rule.score(text, answer);
            }
            return out;
        };
    }

    /** {@code ids} without its trailing EOS ids. */
    static int[] withoutEos(int[] ids, int eos) {
        int n = ids.length;
        while (n > 0 && ids[n - 1] == eos) {
            n--;
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    private static String requireArg(String field, String kind, String arg, String what) {
        if (arg == null || arg.isEmpty()) {
            throw bad(field, kind + " needs " + what + ": " + kind + ":...");
        }
        return arg;
    }

    private static double tolerance(String field, String arg) {
        if (arg == null) {
            return 0;
        }
        double tol;
        try {
            tol = Double.parseDouble(arg.strip());
        } catch (NumberFormatException e) {
            throw bad(field, "numeric:TOL needs a number, got '" + arg + "'");
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw bad(field, "numeric:TOL must be finite and >= 0, got " + arg);
        }
        return tol;
    }

    private static Pattern pattern(String field, String arg) {
        try {
            return Pattern.compile(arg);
        } catch (PatternSyntaxException e) {
            throw bad(field, "regex: bad pattern '" + arg + "': " + e.getDescription());
        }
    }

    /** {MAX, BUFFER} of a length spec's argument; MAX = {@code defaultMax} when absent. */
    private static int[] lengths(String field, String arg, int defaultMax) {
        String[] parts = arg == null ? new String[0] : arg.split(":", -1);
        if (parts.length > 2) {
            throw bad(field, "length takes at most MAX:BUFFER, got 'length:" + arg + "'");
        }
        int max = parts.length > 0 ? positive(field, "MAX", parts[0]) : defaultMax;
        int buffer = parts.length > 1 ? positive(field, "BUFFER", parts[1]) : Math.max(1, max / 4);
        if (max < 1 || buffer > max) {
            throw bad(field, "length needs 1 <= BUFFER <= MAX, got MAX " + max + ", BUFFER " + buffer);
        }
        return new int[] {max, buffer};
    }

    private static int positive(String field, String what, String text) {
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(field, "length:" + what + " must be an integer >= 1, got '" + text + "'");
    }

    private static UserInputException bad(String field, String what) {
        return new UserInputException(field + ": " + what + " (valid kinds: " + String.join(", ", KINDS) + ")");
    }
}
