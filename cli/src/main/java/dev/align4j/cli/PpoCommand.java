package dev.align4j.cli;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.run.RunResult;
import dev.align4j.ppo.PpoConfig;
import dev.align4j.ppo.PpoRun;
import dev.align4j.ppo.PpoTrainer;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j ppo --config ppo.yaml}: PPO from an SFT model folder against a reward model folder
 * on a prompts file. One flat YAML holds the training arguments, the PEFT settings and the PPO keys
 * (see ppo/README.md); flags override it.
 */
@Command(name = "ppo", mixinStandardHelpOptions = true,
        description = "Align a model with PPO against a reward model (KL penalty to the SFT model, GAE, clipped updates).")
public final class PpoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--policy", paramLabel = "DIR", description = "the SFT model folder the policy starts from")
    String policy;

    @Option(names = "--reward", paramLabel = "DIR", description = "the reward model folder")
    String reward;

    @Option(names = "--prompts", paramLabel = "FILE", description = "prompts file (e.g. prompts_train.jsonl)")
    String prompts;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "run folder")
    String outputDir;

    @Option(names = {"--iterations", "--max-steps"}, paramLabel = "N",
            description = "PPO iterations (rollout + update rounds); overrides num_iterations")
    Integer iterations;

    @Mixin
    ResumeOption resume = new ResumeOption();

    @Override
    public Integer call() {
        ConfigLoader.Parts parts = config.loadParts(ConfigOptions.flags(
                "policy", policy, "reward_model", reward, "prompts", prompts, "output_dir", outputDir,
                "num_iterations", ConfigOptions.atLeast("--iterations", iterations, 1), "resume_from_checkpoint", resume.checkpoint()),
                TrainingArgs.class, PeftConfig.class, PpoConfig.class);
        TrainingArgs args = parts.get(TrainingArgs.class);
        PrintWriter out = spec.commandLine().getOut();
        try (PpoRun run = parts.locating(() -> PpoTrainer.prepare(args, parts.get(PeftConfig.class),
                parts.get(PpoConfig.class)))) {
            RunLogging.attach(run.outputDir());
            TrainOutput printer = new TrainOutput(out, "align4j ppo", 1, "score");
            RunResult r = printer.attach(run).train();
            if (r.interrupted()) {
                return printer.interrupted(r);
            }
            double[] t = run.timing();
            out.printf(Locale.ROOT, "ppo: %d iterations (generation %.1f s, scoring %.1f s, training %.1f s)%n",
                    r.steps(), t[0], t[1], t[2]);
            print(out, "first", run.firstMetrics());
            print(out, "last", r.metrics());
            printer.folders(r);
        }
        return 0;
    }

    private static void print(PrintWriter out, String label, Map<String, Double> m) {
        if (m.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(label).append(':');
        for (String k : new String[] {"score", "kl", "kl_coef", "entropy", "policy_loss", "value_loss", "clipfrac",
                "approx_kl", "response_length"}) {
            if (m.containsKey(k)) {
                sb.append(String.format(Locale.ROOT, " %s=%.4g", k, m.get(k)));
            }
        }
        out.println(sb);
    }
}
