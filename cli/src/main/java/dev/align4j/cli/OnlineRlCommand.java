package dev.align4j.cli;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.onlinerl.OnlineRlConfig;
import dev.align4j.onlinerl.OnlineRlRun;
import dev.align4j.onlinerl.OnlineRlTrainer;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j grpo|rloo|reinforce-pp --config FILE}: critic-free online RL from an SFT model folder
 * on a prompts file against reward functions. One flat YAML holds the training arguments, the PEFT
 * settings and the online-rl keys (online-rl/README.md); flags override it. The subcommand names
 * the default algorithm; {@code algorithm:} in the file or {@code --algorithm} overrides it.
 */
abstract class OnlineRlCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--algorithm", paramLabel = "NAME", description = "grpo, rloo or reinforce_pp")
    String algorithm;

    @Option(names = "--policy", paramLabel = "DIR", description = "the SFT model folder the policy starts from")
    String policy;

    @Option(names = "--prompts", paramLabel = "FILE", description = "prompts file (an `answer` field feeds exact-match)")
    String prompts;

    @Option(names = "--reward", paramLabel = "SPEC", split = ",",
            description = "reward functions: reward-model:DIR, sentiment, exact-match, numeric[:TOL], regex:P, "
                    + "length:MAX[:BUFFER] (comma-separated; overrides reward_funcs)")
    List<String> rewards;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "run folder")
    String outputDir;

    @Option(names = {"--iterations", "--max-steps"}, paramLabel = "N",
            description = "iterations (sample + update rounds); overrides max_steps")
    Integer iterations;

    @Mixin
    ResumeOption resume = new ResumeOption();

    /** The algorithm this subcommand runs unless the config says otherwise. */
    abstract String defaultAlgorithm();

    /** The {@code algorithm} key alone, null when neither the file, --set nor --algorithm gives it. */
    record AlgorithmKey(@com.fasterxml.jackson.annotation.JsonProperty("algorithm") String algorithm) {
    }

    @Override
    public Integer call() {
        ConfigLoader.Parts parts = load(algorithm);
        if (parts.get(AlgorithmKey.class).algorithm() == null) {
            parts = load(defaultAlgorithm()); // so the subcommand's algorithm-dependent defaults apply
        }
        OnlineRlConfig cfg = parts.get(OnlineRlConfig.class);
        TrainingArgs args = parts.get(TrainingArgs.class);
        PrintWriter out = spec.commandLine().getOut();
        ConfigLoader.Parts loaded = parts;
        try (OnlineRlRun run = loaded.locating(() -> OnlineRlTrainer.prepare(args, loaded.get(PeftConfig.class), cfg))) {
            RunLogging.attach(run.outputDir());
            TrainOutput printer = new TrainOutput(out, "align4j " + spec.name(), 1, "reward");
            RunResult r = printer.attach(run).train();
            if (r.interrupted()) {
                return printer.interrupted(r);
            }
            double[] t = run.timing();
            out.printf(Locale.ROOT, "%s: %d iterations (generation %.1f s, scoring %.1f s, training %.1f s)%n",
                    cfg.algorithm(), r.steps(), t[0], t[1], t[2]);
            print(out, "first", run.firstMetrics());
            print(out, "last", r.metrics());
            printer.folders(r);
        }
        return 0;
    }

    private ConfigLoader.Parts load(String algo) {
        return config.loadParts(ConfigOptions.flags(
                "policy", policy, "prompts", prompts, "reward_funcs", rewards, "output_dir", outputDir,
                "max_steps", ConfigOptions.atLeast("--iterations", iterations, 1), "resume_from_checkpoint", resume.checkpoint(), "algorithm", algo),
                TrainingArgs.class, PeftConfig.class, OnlineRlConfig.class, AlgorithmKey.class);
    }

    private static void print(PrintWriter out, String label, Map<String, Double> m) {
        if (m.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(label).append(':');
        for (String k : new String[] {"reward", "reward_std", "frac_reward_zero_std", "kl", "entropy", "loss",
                "clip_ratio/region_mean", "completions/mean_length"}) {
            if (m.containsKey(k)) {
                sb.append(String.format(Locale.ROOT, " %s=%.4g", k, m.get(k)));
            }
        }
        out.println(sb);
    }

    /** {@code align4j grpo}. */
    @Command(name = "grpo", mixinStandardHelpOptions = true,
            description = "Align a model with GRPO: G completions per prompt, group-relative advantages, no critic.")
    static final class Grpo extends OnlineRlCommand {
        @Override
        String defaultAlgorithm() {
            return "grpo";
        }
    }

    /** {@code align4j rloo}. */
    @Command(name = "rloo", mixinStandardHelpOptions = true,
            description = "Align a model with RLOO: k completions per prompt, leave-one-out baseline, KL in the reward.")
    static final class Rloo extends OnlineRlCommand {
        @Override
        String defaultAlgorithm() {
            return "rloo";
        }
    }

    /** {@code align4j reinforce-pp}. */
    @Command(name = "reinforce-pp", aliases = "reinforce++", mixinStandardHelpOptions = true,
            description = "Align a model with REINFORCE++: per-token KL reward, batch-normalised returns, PPO clip.")
    static final class ReinforcePp extends OnlineRlCommand {
        @Override
        String defaultAlgorithm() {
            return "reinforce_pp";
        }
    }
}
