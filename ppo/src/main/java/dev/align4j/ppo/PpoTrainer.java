package dev.align4j.ppo;

import dev.align4j.rl.CombinedReward;
import dev.align4j.rl.PromptSet;
import dev.align4j.rl.RewardFuncs;
import ai.djl.Device;
import dev.align4j.core.UserInputException;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.RunFiles;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * PPO from an SFT model folder, a reward model folder and a prompts file. {@link #prepare} validates
 * every input (folders, tokenizer match, prompts, lengths, output folder, resume point) and loads the
 * models, writing nothing; the returned {@link PpoRun} trains through the shared run lifecycle (see
 * there and {@link PpoIteration} for one iteration).
 *
 * <p>From Java code (the Java API; README "Using align4j as a library"): build each part with its
 * builder, unset keys taking the defaults a config file gets, and call {@code train} or {@code prepare}:
 *
 * <pre>{@code
 * RunResult r = PpoTrainer.train(
 *         TrainingArgs.builder().outputDir("runs/ppo").build(),
 *         PeftConfig.builder().method(PeftMethod.LORA).build(),
 *         PpoConfig.builder().policy("runs/sft/model").rewardModel("runs/rm/model").prompts("prompts.jsonl")
 *                 .numIterations(20).build());
 * }</pre>
 */
public final class PpoTrainer {

    private PpoTrainer() {
    }

    /** Prepares, trains and closes. */
    public static RunResult train(TrainingArgs args, PeftConfig peft, PpoConfig cfg) {
        try (PpoRun run = prepare(args, peft, cfg)) {
            return run.train();
        }
    }

    /** Reads and checks everything; bad input throws {@link UserInputException} before anything is written. */
    public static PpoRun prepare(TrainingArgs args, PeftConfig peft, PpoConfig cfg) {
        cfg.requirePaths();
        if (args.gradientAccumulationSteps() != 1) {
            throw new UserInputException("gradient_accumulation_steps: PPO takes one optimizer step per mini-batch; "
                    + "set mini_batch_size (sequences per step) and per_device_train_batch_size (sequences per "
                    + "forward) instead, got " + args.gradientAccumulationSteps());
        }
        if (cfg.rewardFuncs() != null) {
            RewardFuncs.validate(cfg.rewardFuncs(), cfg.rewardWeights());
        }
        Path policyDir = Path.of(cfg.policy());
        Path rewardDir = Path.of(cfg.rewardModel());
        ModelFolder.detect(policyDir);
        RunFiles.validate(args);
        Device device = Devices.resolve(args.device());
        ModelBundle policy = ModelBundle.load(policyDir, device, cfg.template());
        RewardBundle reward = null;
        RewardBundle critic = null;
        CombinedReward extra = null;
        try {
            reward = RewardBundle.load(rewardDir, device);
            critic = RewardBundle.load(rewardDir, device);
            int maxPrompt = maxPromptTokens(cfg, policy, reward);
            PromptSet prompts = PromptSet.load("prompts", Path.of(cfg.prompts()), policy.tokenizer(),
                    policy.template(), maxPrompt);
            checkTokenizers(cfg, policy, reward, prompts);
            PromptSet samples = cfg.sampleN() == 0 ? null : cfg.samplePrompts() == null ? prompts
                    : PromptSet.load("sample_prompts", Path.of(cfg.samplePrompts()), policy.tokenizer(),
                            policy.template(), maxPrompt);
            RewardStats stats = null;
            if (cfg.normalizeReward()) {
                stats = reward.stats();
                if (stats == null) {
                    throw new UserInputException("normalize_reward: " + rewardDir + " has no "
                            + RewardBundle.STATS + "; set normalize_reward: false to use raw scores");
                }
            }
            if (cfg.rewardFuncs() != null) {
                extra = RewardFuncs.load(cfg.rewardFuncs(), cfg.rewardWeights(), new RewardFuncs.Context(
                        policy.tokenizer(), device, args.perDeviceEvalBatchSize(), cfg.maxNewTokens()));
            }
            return new PpoRun(args, peft, cfg, new PpoRun.Models(policy, reward, critic, extra), prompts, samples,
                    stats);
        } catch (RuntimeException e) {
            policy.close();
            if (reward != null) {
                reward.close();
            }
            if (critic != null) {
                critic.close();
            }
            if (extra != null) {
                extra.close();
            }
            throw e;
        }
    }

    /** Longest prompt such that prompt + max_new_tokens fits the policy's and the reward model's context. */
    private static int maxPromptTokens(PpoConfig cfg, ModelBundle policy, RewardBundle reward) {
        int ctx = Math.min(policy.config().contextLength(), reward.base().config().contextLength());
        int max = ctx - cfg.maxNewTokens();
        if (max < 1) {
            throw new UserInputException("max_new_tokens: " + cfg.maxNewTokens() + " leaves no room for a prompt in "
                    + "the context of " + ctx + " tokens (policy " + policy.config().contextLength() + ", reward model "
                    + reward.base().config().contextLength() + ")");
        }
        return max;
    }

    /** The critic and the reward model read the policy's token ids, so all must share one tokenizer. */
    private static void checkTokenizers(PpoConfig cfg, ModelBundle policy, RewardBundle reward, PromptSet prompts) {
        boolean same = policy.tokenizer().vocabSize() == reward.base().tokenizer().vocabSize()
                && policy.config().vocabSize() == reward.base().config().vocabSize();
        for (int i = 0; same && i < Math.min(8, prompts.size()); i++) {
            String text = policy.template().renderPrompt(prompts.messages().get(i));
            same = Arrays.equals(policy.tokenizer().encode(text), reward.base().tokenizer().encode(text));
        }
        if (!same) {
            throw new UserInputException("reward_model: " + cfg.rewardModel() + " uses another tokenizer than policy "
                    + cfg.policy() + " (vocab " + reward.base().tokenizer().vocabSize() + " vs "
                    + policy.tokenizer().vocabSize() + "); PPO scores the policy's token ids, so train the reward "
                    + "model from the same SFT model");
        }
    }
}
