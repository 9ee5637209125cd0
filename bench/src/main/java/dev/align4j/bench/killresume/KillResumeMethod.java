package dev.align4j.bench.killresume;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training commands the kill-resume harness interrupts, each with the arguments of one run on
 * the {@link Fixtures} and its length in steps (PPO: iterations). Checkpoint intervals are in the
 * fixture configs: every 3 steps, PPO every 2 iterations.
 */
public enum KillResumeMethod {
    SFT(12, 3, "sft"),
    REWARD(12, 3, "reward", "train"),
    DPO(12, 3, "dpo"),
    PPO(6, 2, "ppo");

    private final long steps;
    private final long saveSteps;
    private final List<String> command;

    KillResumeMethod(long steps, long saveSteps, String... command) {
        this.steps = steps;
        this.saveSteps = saveSteps;
        this.command = List.of(command);
    }

    /** Optimizer steps (PPO iterations) of one run. */
    public long steps() {
        return steps;
    }

    /** The checkpoint interval in the fixture config. */
    public long saveSteps() {
        return saveSteps;
    }

    /** The arguments after {@code align4j} for a run into {@code out}, with {@code --resume} if asked. */
    public List<String> args(Fixtures f, Path out, boolean resume) {
        List<String> a = new ArrayList<>(command);
        a.addAll(List.of("--config", f.config(this).toString()));
        if (this == PPO) {
            a.addAll(List.of("--policy", f.policy().toString(), "--reward", f.rewardModel().toString(),
                    "--prompts", f.prompts().toString(), "--iterations", Long.toString(steps)));
        } else {
            a.addAll(List.of("--model", f.policy().toString(), "--data",
                    (this == SFT ? f.sftData() : f.pairs()).toString(), "--max-steps", Long.toString(steps)));
        }
        a.addAll(List.of("--output-dir", out.toString()));
        if (resume) {
            a.add("--resume");
        }
        return a;
    }

    /** Lower-case name, as in the report lines. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
