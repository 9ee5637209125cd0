package dev.align4j.onlinerl;

import ai.djl.Device;
import dev.align4j.core.UserInputException;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.rl.PromptSet;
import dev.align4j.rl.CombinedReward;
import dev.align4j.rl.RewardFuncs;

import java.nio.file.Path;
import java.util.List;

/**
 * GRPO, RLOO or REINFORCE++ from an SFT model folder, reward functions and a prompts file.
 * {@link #prepare} checks every input (folder, prompts, reward specs and the answers they need,
 * lengths, output folder, resume point) and loads the policy and the reward functions, writing
 * nothing; the returned {@link OnlineRlRun} trains through the shared run lifecycle.
 *
 * <p>From Java code (the Java API; README "Using align4j as a library"): build each part with its
 * builder, unset keys taking the defaults a config file gets, and call {@code train} or {@code prepare}:
 *
 * <pre>{@code
 * RunResult r = OnlineRlTrainer.train(
 *         TrainingArgs.builder().outputDir("runs/grpo").build(),
 *         PeftConfig.builder().method(PeftMethod.LORA).build(),
 *         OnlineRlConfig.builder().algorithm("grpo").policy("runs/sft/model").prompts("prompts.jsonl")
 *                 .rewardFuncs(List.of("sentiment")).build());
 * }</pre>
 */
public final class OnlineRlTrainer {

    private OnlineRlTrainer() {
    }

    /** Prepares, trains and closes. */
    public static RunResult train(TrainingArgs args, PeftConfig peft, OnlineRlConfig cfg) {
        try (OnlineRlRun run = prepare(args, peft, cfg)) {
            return run.train();
        }
    }

    /** Reads and checks everything; bad input throws {@link UserInputException} before anything is written. */
    public static OnlineRlRun prepare(TrainingArgs args, PeftConfig peft, OnlineRlConfig cfg) {
        cfg.requireInputs();
        if (args.gradientAccumulationSteps() != 1) {
            throw new UserInputException("gradient_accumulation_steps: " + cfg.algorithm() + " takes one optimizer "
                    + "step per mini-batch; set mini_batch_size (completions per step) and "
                    + "per_device_train_batch_size (completions per forward) instead, got "
                    + args.gradientAccumulationSteps());
        }
        List<RewardFuncs.Spec> specs = RewardFuncs.validate(cfg.rewardFuncs(), cfg.rewardWeights());
        Path policyDir = Path.of(cfg.policy());
        ModelFolder.detect(policyDir);
        RunFiles.validate(args);
        Device device = Devices.resolve(args.device());
        ModelBundle policy = ModelBundle.load(policyDir, device, cfg.template());
        CombinedReward reward = null;
        try {
            int maxPrompt = policy.config().contextLength() - cfg.maxNewTokens();
            if (maxPrompt < 1) {
                throw new UserInputException("max_new_tokens: " + cfg.maxNewTokens() + " leaves no room for a "
                        + "prompt in the policy's context of " + policy.config().contextLength() + " tokens");
            }
            PromptSet prompts = PromptSet.load("prompts", Path.of(cfg.prompts()), policy.tokenizer(),
                    policy.template(), maxPrompt);
            PromptSet samples = cfg.sampleN() == 0 ? null : cfg.samplePrompts() == null ? prompts
                    : PromptSet.load("sample_prompts", Path.of(cfg.samplePrompts()), policy.tokenizer(),
                            policy.template(), maxPrompt);
            requireAnswers(specs, "prompts", cfg.prompts(), prompts);
            if (samples != null && samples != prompts) {
                requireAnswers(specs, "sample_prompts", cfg.samplePrompts(), samples);
            }
            reward = RewardFuncs.load(cfg.rewardFuncs(), cfg.rewardWeights(), new RewardFuncs.Context(
                    policy.tokenizer(), device, args.perDeviceEvalBatchSize(), cfg.maxNewTokens()));
            return new OnlineRlRun(args, peft, cfg, policy, reward, prompts, samples);
        } catch (RuntimeException e) {
            policy.close();
            if (reward != null) {
                reward.close();
            }
            throw e;
        }
    }

    /** Verifiable rewards read each prompt's {@code answer}; a prompt without one is named before training. */
    private static void requireAnswers(List<RewardFuncs.Spec> specs, String field, String file, PromptSet p) {
        boolean needs = specs.stream().anyMatch(s -> s.kind().equals("exact-match") || s.kind().equals("numeric"));
        if (!needs) {
            return;
        }
        int missing = p.answers().indexOf(null);
        if (missing >= 0) {
            throw new UserInputException(field + ": " + file + ": prompt " + (missing + 1) + " has no `"
                    + PromptSet.ANSWER + "` field, which the exact-match / numeric reward needs");
        }
    }
}
