package dev.align4j.pipelines;

import dev.align4j.onlinerl.Algorithm;
import dev.align4j.pipelines.stage.AnnotateJudgeStage;
import dev.align4j.pipelines.stage.AnnotateStage;
import dev.align4j.pipelines.stage.DpoStage;
import dev.align4j.pipelines.stage.EvalStage;
import dev.align4j.pipelines.stage.OnlineRlStage;
import dev.align4j.pipelines.stage.PairsStage;
import dev.align4j.pipelines.stage.PpoStage;
import dev.align4j.pipelines.stage.PretrainStage;
import dev.align4j.pipelines.stage.RewardStage;
import dev.align4j.pipelines.stage.SftStage;
import dev.align4j.pipelines.stage.Stage;
import dev.align4j.pipelines.stage.SynthStage;
import dev.align4j.pipelines.stage.TokenizerStage;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The kinds of stage a pipeline may name, each with its adapter. A new kind (grpo, rloo) is one
 * constant here and one {@link Stage} class; its name in a file is the constant's name in lower case
 * with '-' for '_' ({@code ANNOTATE_JUDGE} is {@code annotate-judge}).
 */
public enum StageKind {
    SYNTH(SynthStage::new),
    TOKENIZER(TokenizerStage::new),
    PRETRAIN(PretrainStage::new),
    SFT(SftStage::new),
    PAIRS(PairsStage::new),
    REWARD(RewardStage::new),
    PPO(PpoStage::new),
    DPO(DpoStage::new),
    GRPO(() -> new OnlineRlStage(Algorithm.GRPO)),
    RLOO(() -> new OnlineRlStage(Algorithm.RLOO)),
    REINFORCE_PP(() -> new OnlineRlStage(Algorithm.REINFORCE_PP)),
    EVAL(EvalStage::new),
    ANNOTATE_JUDGE(AnnotateJudgeStage::new),
    ANNOTATE(AnnotateStage::new);

    private final Supplier<Stage> adapter;

    StageKind(Supplier<Stage> adapter) {
        this.adapter = adapter;
    }

    /** A fresh adapter for this kind. */
    public Stage adapter() {
        return adapter.get();
    }

    /** The name written in a pipeline file: {@code sft}, {@code ppo}, {@code annotate-judge}, ... */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<StageKind> parse(String name) {
        return Arrays.stream(values()).filter(k -> k.configName().equals(name)).findFirst();
    }

    /** {@code synth, tokenizer, ...} for messages. */
    public static String names() {
        return Arrays.stream(values()).map(StageKind::configName).collect(Collectors.joining(", "));
    }
}
