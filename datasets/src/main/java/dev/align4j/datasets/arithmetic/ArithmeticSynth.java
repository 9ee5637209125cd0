package dev.align4j.datasets.arithmetic;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes the arithmetic task's data folder: problems {@code a+b=} and {@code a-b=} on numbers of 1 to
 * {@code maxDigits} digits (0..9, 10..99, ...), written without spaces, with the answer as the
 * completion ({@code "12+7="} -> {@code "19"}). Subtractions keep {@code a >= b}, so every answer is a
 * non-negative integer written without sign or leading zeros.
 *
 * <p>Files: {@code corpus.txt} (the SFT problems as {@code 12+7=19}, one a line, for tokenizer
 * training), {@code sft.jsonl} ({@code {"prompt", "completion"}}, for SFT with the {@code plain}
 * template), {@code prompts_train.jsonl} and {@code prompts_eval.jsonl} ({@code {"prompt", "answer"}})
 * and {@code README.md}.
 *
 * <p>Every distinct problem is enumerated and shuffled once by the seed; eval takes the first
 * problems of the shuffle, train the next, SFT the rest it needs. The three sets are therefore
 * disjoint (held-out problems are never seen in SFT or in rollouts), and a larger {@code n} never
 * changes the prompts. The same options give the same bytes.
 */
public final class ArithmeticSynth {

    /** The files written; a folder already holding one of them is refused. */
    public static final List<String> FILES = List.of("corpus.txt", "sft.jsonl", "prompts_train.jsonl",
            "prompts_eval.jsonl", "README.md");

    /**
     * @param n SFT examples
     * @param trainPrompts prompts for rollouts
     * @param evalPrompts held-out prompts for evaluation
     * @param seed shuffle seed
     * @param maxDigits the longest operand, 1..3 (default 2)
     * @param ops the operators, a non-empty subset of {@code "+-"} (default both)
     */
    public record Options(int n, int trainPrompts, int evalPrompts, long seed, int maxDigits, String ops) {
        public Options {
            if (n < 1 || trainPrompts < 1 || evalPrompts < 1) {
                throw new UserInputException("need at least 1 SFT example and 1 prompt of each kind, got " + n + ", "
                        + trainPrompts + ", " + evalPrompts);
            }
            if (maxDigits < 1 || maxDigits > 3) {
                throw new UserInputException("max_digits: must be 1, 2 or 3, got " + maxDigits);
            }
            if (ops == null || ops.isEmpty() || !ops.matches("[+-]+") || ops.chars().distinct().count() != ops.length()) {
                throw new UserInputException("ops: one or both of + and - (e.g. \"+-\"), got '" + ops + "'");
            }
            long total = (long) n + trainPrompts + evalPrompts;
            if (total > problems(maxDigits, ops)) {
                throw new UserInputException(String.format(Locale.ROOT, "%d SFT examples + %d train + %d eval prompts "
                        + "need %d distinct problems, but %d-digit %s has only %d; lower n or raise max_digits", n,
                        trainPrompts, evalPrompts, total, maxDigits, ops, problems(maxDigits, ops)));
            }
        }

        /** Defaults: 2-digit additions and subtractions. */
        public static Options of(int n, int trainPrompts, int evalPrompts, long seed) {
            return new Options(n, trainPrompts, evalPrompts, seed, 2, "+-");
        }
    }

    /** One problem: the prompt {@code "12+7="} and its answer {@code "19"}. */
    public record Problem(String prompt, String answer) {
    }

    /** What was written. */
    public record Written(Path dir, int sft, int trainPrompts, int evalPrompts, int distinctProblems) {
    }

    private ArithmeticSynth() {
    }

    /** How many distinct problems {@code maxDigits} and {@code ops} allow. */
    public static long problems(int maxDigits, String ops) {
        long m = (long) Math.pow(10, maxDigits);
        long total = 0;
        for (char op : ops.toCharArray()) {
            total += op == '+' ? m * m : m * (m + 1) / 2;
        }
        return total;
    }

    /** The first {@code k} problems of the seed's shuffle of all problems. */
    public static List<Problem> draw(Options o, int k) {
        int m = (int) Math.pow(10, o.maxDigits());
        long[] all = new long[(int) problems(o.maxDigits(), o.ops())];
        int at = 0;
        for (char op : o.ops().toCharArray()) {
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    if (op == '+' || b <= a) {
                        all[at++] = ((long) (op == '+' ? 0 : 1) * m + a) * m + b;
                    }
                }
            }
        }
        Random rng = new Random(o.seed());
        List<Problem> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) { // partial Fisher-Yates: position i gets a uniform pick of the rest
            int j = i + rng.nextInt(all.length - i);
            long t = all[i];
            all[i] = all[j];
            all[j] = t;
            out.add(problem(all[i], m));
        }
        return out;
    }

    private static Problem problem(long code, int m) {
        int b = (int) (code % m);
        int a = (int) (code / m % m);
        boolean plus = code / ((long) m * m) == 0;
        return plus ? new Problem(a + "+" + b + "=", Integer.toString(a + b))
                : new Problem(a + "-" + b + "=", Integer.toString(a - b));
    }

    /** Writes the folder; refuses one that already holds any of {@link #FILES}. */
    public static Written write(Path dir, Options o) {
        for (String f : FILES) {
            if (Files.exists(dir.resolve(f))) {
                throw new UserInputException(dir + ": already holds " + f + "; choose an empty folder (nothing written)");
            }
        }
        List<Problem> drawn = draw(o, o.evalPrompts() + o.trainPrompts() + o.n());
        List<Problem> eval = drawn.subList(0, o.evalPrompts());
        List<Problem> train = drawn.subList(o.evalPrompts(), o.evalPrompts() + o.trainPrompts());
        List<Problem> sft = drawn.subList(o.evalPrompts() + o.trainPrompts(), drawn.size());
        StringBuilder corpus = new StringBuilder();
        sft.forEach(p -> corpus.append(p.prompt()).append(p.answer()).append('\n'));
        AtomicFiles.writeString(dir.resolve("corpus.txt"), corpus.toString());
        AtomicFiles.writeString(dir.resolve("sft.jsonl"), jsonl(sft, "completion"));
        AtomicFiles.writeString(dir.resolve("prompts_train.jsonl"), jsonl(train, "answer"));
        AtomicFiles.writeString(dir.resolve("prompts_eval.jsonl"), jsonl(eval, "answer"));
        AtomicFiles.writeString(dir.resolve("README.md"), readme(o));
        return new Written(dir, sft.size(), train.size(), eval.size(), (int) problems(o.maxDigits(), o.ops()));
    }

    private static String jsonl(List<Problem> problems, String answerKey) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            Map<String, String> rec = new LinkedHashMap<>();
            rec.put("prompt", p.prompt());
            rec.put(answerKey, p.answer());
            sb.append(Json.line(rec)).append('\n');
        }
        return sb.toString();
    }

    private static String readme(Options o) {
        return String.format(Locale.ROOT, """
                # Arithmetic task data

                Generated by `align4j data synth arithmetic` (seed %d, max_digits %d, ops `%s`, %d distinct problems).

                | file | what |
                | --- | --- |
                | corpus.txt | the %d SFT problems as `12+7=19`, one a line, for tokenizer training |
                | sft.jsonl | the same as `{"prompt": "12+7=", "completion": "19"}`, for SFT with the `plain` template |
                | prompts_train.jsonl | %d prompts `{"prompt": "12+7=", "answer": "19"}`, for rollouts |
                | prompts_eval.jsonl | %d held-out prompts, same form |

                Operands have 1 to %d digits; subtractions keep a >= b, so answers are non-negative. The three
                sets are disjoint: no eval or train problem appears in SFT. A completion is correct when, trimmed,
                its first line equals the answer (whitespace collapsed): `19` and ` 19\\n` are correct, `19 apples`
                is not (the `exact-match` reward; `numeric` accepts it).
                """, o.seed(), o.maxDigits(), o.ops(), problems(o.maxDigits(), o.ops()), o.n(), o.trainPrompts(),
                o.evalPrompts(), o.maxDigits());
    }
}
