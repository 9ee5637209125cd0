package dev.align4j.bench.killresume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The inputs every kill-resume trial shares, made once in {@code dir} through the CLI itself: small
 * SFT, preference and prompt files, one YAML config per method (small {@code save_steps}, so kills
 * land between checkpoints), a tiny pretrained GPT-2 (2 steps of {@code pretrain --model-config
 * tiny}: d=64, 2 layers, byte tokenizer) and, for PPO, a reward model trained from it.
 */
public record Fixtures(Path dir, Path policy, Path rewardModel) {

    private static final Duration FIXTURE_TIMEOUT = Duration.ofMinutes(5);

    /** SFT rows, preference pairs and prompts; the words only need to differ. */
    private static final String[] GOOD = {"great", "lovely", "superb", "moving", "fun", "bright"};
    private static final String[] BAD = {"awful", "dull", "weak", "boring", "flat", "bad"};

    public Path sftData() {
        return dir.resolve("sft.jsonl");
    }

    public Path pairs() {
        return dir.resolve("pairs.jsonl");
    }

    public Path prompts() {
        return dir.resolve("prompts.jsonl");
    }

    /** The YAML config of {@code method}. */
    public Path config(KillResumeMethod method) {
        return dir.resolve(method.label() + ".yaml");
    }

    /**
     * Writes the data and configs and trains the tiny policy (and the reward model when
     * {@code withRewardModel}) unless {@code dir} already holds them.
     */
    public static Fixtures prepare(Child.Launcher launcher, Path dir, boolean withRewardModel)
            throws InterruptedException {
        Fixtures f = new Fixtures(dir, dir.resolve("pre/model"), dir.resolve("rm/model"));
        try {
            Files.createDirectories(dir);
            f.writeData();
            f.writeConfigs();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fixtures in " + dir, e);
        }
        if (!Files.isRegularFile(f.policy.resolve("model.safetensors"))) {
            run(launcher, List.of("pretrain", "--text", "builtin:quickstart", "--model-config", "tiny",
                    "--max-steps", "2", "--seq-len", "32", "--batch-size", "4", "--set", "eval_steps=0",
                    "--output-dir", dir.resolve("pre").toString()), dir.resolve("pre.log"));
        }
        if (withRewardModel && !Files.isRegularFile(f.rewardModel.resolve("model.safetensors"))) {
            run(launcher, List.of("reward", "train", "--config", f.config(KillResumeMethod.REWARD).toString(),
                    "--model", f.policy.toString(), "--data", f.pairs().toString(), "--max-steps", "4",
                    "--output-dir", dir.resolve("rm").toString()), dir.resolve("rm.log"));
        }
        return f;
    }

    private static void run(Child.Launcher launcher, List<String> args, Path log) throws InterruptedException {
        Child c = Child.start(launcher, args, log);
        int code = c.await(FIXTURE_TIMEOUT);
        if (code != 0) {
            throw new IllegalStateException("fixture command failed (exit " + code + "): align4j "
                    + String.join(" ", args) + "\n" + c.tail(3000));
        }
    }

    private void writeData() throws IOException {
        StringBuilder pairs = new StringBuilder();
        StringBuilder sft = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            pairs.append("{\"prompt\": \"the film ").append(i).append("\", \"chosen\": \" was ")
                    .append(GOOD[i % 6]).append(" .\", \"rejected\": \" was ").append(BAD[i % 6]).append(" .\"}\n");
            sft.append("{\"instruction\": \"review ").append(i).append("\", \"output\": \"it was ")
                    .append(GOOD[i % 6]).append(" and ").append(BAD[(i + 1) % 6]).append(" .\"}\n");
        }
        StringBuilder prompts = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            prompts.append("{\"prompt\": \"the plot ").append(i).append("\"}\n");
        }
        Files.writeString(sftData(), sft);
        Files.writeString(pairs(), pairs);
        Files.writeString(prompts(), prompts);
    }

    private void writeConfigs() throws IOException {
        String common = "per_device_train_batch_size: 2\nlearning_rate: 0.001\nlogging_steps: 1\ndevice: cpu\n";
        Files.writeString(config(KillResumeMethod.SFT), common + "save_steps: 3\ntemplate: plain\n"
                + "cutoff_len: 32\nval_set_size: 2\nmethod: full\nnum_samples: 2\nsample_max_new_tokens: 4\n");
        Files.writeString(config(KillResumeMethod.REWARD), common + "save_steps: 3\nmax_length: 32\n"
                + "max_prompt_length: 16\nval_set_size: 2\n");
        Files.writeString(config(KillResumeMethod.DPO), common + "save_steps: 3\nmax_length: 32\n"
                + "val_set_size: 2\nsample_n: 2\nmax_new_tokens: 4\n");
        Files.writeString(config(KillResumeMethod.PPO), common + "save_steps: 2\nrollout_batch_size: 4\n"
                + "mini_batch_size: 2\nppo_epochs: 1\nmax_new_tokens: 6\nsample_n: 2\n");
    }
}
