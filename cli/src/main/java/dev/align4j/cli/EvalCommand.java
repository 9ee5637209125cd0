package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.sentiment.Lexicon;
import dev.align4j.datasets.sentiment.SentimentEval;
import dev.align4j.pipelines.eval.ArithmeticEval;
import dev.align4j.pipelines.eval.ArithmeticReport;
import dev.align4j.pipelines.eval.EvalConfig;
import dev.align4j.pipelines.eval.EvalReport;
import dev.align4j.pipelines.stage.EvalStage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j eval}: several models on held-out prompts (the keys of a pipeline's eval stage, from
 * {@code --config}, {@code --set} and flags), printed as a table; with {@code --task arithmetic} the
 * table is {@code ArithmeticEval}'s exact-match accuracy; {@code eval sentiment} is the older
 * policy-vs-baseline JSON.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate models on held-out prompts: RM score, true reward, win rate vs a baseline (95%% CI), "
                + "KL to a reference, length, EOS rate, distinct tokens, grammatical rate, perplexity.",
        subcommands = {EvalCommand.Sentiment.class},
        footer = {"", "Example: align4j eval --model sft=runs/quickstart/sft/model --model ppo=runs/quickstart/ppo/model "
                + "--prompts runs/quickstart/synth/prompts_eval.jsonl --out runs/eval-check",
                "Arithmetic: align4j eval --task arithmetic --model sft=runs/arith/sft/model "
                        + "--prompts runs/arith/synth/prompts_eval.jsonl (exact-match accuracy, greedy and sampled).",
                "Keys (for --config/--set): models, baseline, reference, prompts, n, seed, max_new_tokens, temperature, "
                        + "reward_model, task, lexicon, heldout_sentences, text, device (pipelines/README.md)."})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--model", paramLabel = "NAME=DIR", description = "a model to evaluate (repeatable, in table order; "
            + "the first is the baseline unless baseline is set)")
    Map<String, String> models = new LinkedHashMap<>();

    @Option(names = "--prompts", paramLabel = "FILE", description = "held-out {prompt} records")
    String prompts;

    @Option(names = "--reward-model", paramLabel = "DIR", description = "score completions with this reward model")
    String rewardModel;

    @Option(names = "--task", paramLabel = "TASK", description = "sentiment (default), arithmetic (exact-match "
            + "accuracy, greedy and sampled, 95%% Wilson CI) or none")
    String task;

    @Option(names = "--out", paramLabel = "DIR", description = "also write eval.json, eval.md and samples.jsonl here")
    Path out;

    @Option(names = "--json", description = "print eval.json instead of the table")
    boolean json;

    @Override
    public Integer call() {
        if (config.file() == null && models.isEmpty() && config.overrides(Map.of()).isEmpty()) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return Main.BAD_INPUT;
        }
        EvalConfig cfg = config.load(EvalConfig.class, ConfigOptions.flags(
                "models", models.isEmpty() ? null : models, "prompts", prompts, "reward_model", rewardModel, "task", task));
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserInputException("--out: " + out + " exists and is not a folder");
        }
        Object report;
        String table;
        if (cfg.arithmetic()) {
            ArithmeticReport a = ArithmeticEval.evaluate(cfg);
            createOut();
            if (out != null) {
                EvalStage.write(a, out);
            }
            report = a;
            table = a.table();
        } else {
            EvalReport r = EvalStage.evaluate(cfg);
            createOut();
            if (out != null) {
                EvalStage.write(r, out);
            }
            report = r;
            table = r.table();
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.print(json ? Json.pretty(report) : table);
        pw.flush();
        return 0;
    }

    private void createOut() {
        if (out == null) {
            return;
        }
        try {
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + out, e);
        }
    }

    @Command(name = "sentiment", mixinStandardHelpOptions = true,
            description = "Policy vs baseline on held-out sentiment prompts: mean true score, win rate, KL(policy||baseline), fluency.")
    static final class Sentiment implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "DIR", description = "the policy's model folder")
        Path model;

        @Option(names = "--baseline", required = true, paramLabel = "DIR", description = "the baseline (SFT) model folder")
        Path baseline;

        @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "prompts file, e.g. prompts_eval.jsonl")
        Path prompts;

        @Option(names = "--n", defaultValue = "256", description = "prompts used (default: ${DEFAULT-VALUE})")
        int n;

        @Option(names = "--seed", defaultValue = "1", description = "sampling seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--max-new-tokens", defaultValue = "24", description = "(default: ${DEFAULT-VALUE})")
        int maxNewTokens;

        @Option(names = "--temperature", defaultValue = "1.0", description = "(default: ${DEFAULT-VALUE}; the KL estimate assumes 1)")
        double temperature;

        @Option(names = "--lexicon", paramLabel = "FILE", description = "lexicon JSON (default: the shared task's, else the bundled copy)")
        Path lexicon;

        @Option(names = "--examples", defaultValue = "5", description = "completions shown per model (default: ${DEFAULT-VALUE})")
        int examples;

        @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu (default: ${DEFAULT-VALUE})")
        String device;

        @Override
        public Integer call() {
            SentimentEval.Options o = new SentimentEval.Options(n, maxNewTokens, temperature, seed);
            if (!Files.isRegularFile(prompts)) {
                throw new UserInputException("--prompts: file not found: " + prompts);
            }
            List<List<Message>> ps = DatasetLoader.load(prompts, LoadOptions.defaults().withPromptsOnly(true))
                    .examples().stream().map(Example::prompt).toList();
            Lexicon lex = Lexicon.resolve(lexicon);
            long start = System.nanoTime();
            SentimentEval.Report r;
            try (ModelBundle pol = ModelBundle.load(model, Devices.resolve(device), null);
                    ModelBundle base = ModelBundle.load(baseline, Devices.resolve(device), null)) {
                r = SentimentEval.evaluate(pol, base, ps, lex, o);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", model.toString());
            json.put("baseline", baseline.toString());
            json.put("n", r.n());
            json.put("seed", seed);
            json.put("max_new_tokens", maxNewTokens);
            json.put("temperature", temperature);
            json.put("policy_mean_score", r.policy().meanScore());
            json.put("baseline_mean_score", r.baseline().meanScore());
            json.put("win_rate", r.winRate());
            json.put("kl", r.kl());
            json.put("policy_fluency", r.policy().fluency());
            json.put("baseline_fluency", r.baseline().fluency());
            List<Map<String, String>> ex = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(examples, r.n()); i++) {
                ex.add(Map.of("prompt", r.prompts().get(i), "policy", r.policy().completions().get(i),
                        "baseline", r.baseline().completions().get(i)));
            }
            json.put("examples", ex);
            json.put("seconds", (System.nanoTime() - start) / 1e9);
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.pretty(json));
            out.flush();
            return 0;
        }
    }
}
