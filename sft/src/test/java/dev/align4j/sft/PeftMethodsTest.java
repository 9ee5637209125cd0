package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.SchedulerType;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.datasets.batch.Batch;
import dev.align4j.datasets.batch.Collator;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Each PEFT method through the SFT loss and the engine: the loss falls, and only what should train changes. */
class PeftMethodsTest {

    @TempDir
    Path dir;

    private static PeftConfig config(PeftMethod method) {
        return switch (method) {
            case LORA, QLORA -> PeftConfig.lora(method, 4, 8, List.of("all-linear"));
            case FREEZE -> PeftConfig.freeze(1, List.of());
            default -> PeftConfig.of(method);
        };
    }

    /** Which parameters each method must change. */
    private static Predicate<String> shouldChange(PeftMethod method) {
        return switch (method) {
            case FULL -> n -> true;
            case FREEZE -> n -> n.startsWith("blocks.1.") || n.startsWith("norm."); // head is tied: embeddings stay
            case BITFIT -> n -> n.endsWith(".bias");
            case LORA, QLORA -> n -> n.contains(".lora.");
        };
    }

    private static double loss(CausalLM model, List<TokenizedExample> xs, NDManager m) {
        try (NDManager sub = m.newSubManager()) {
            Batch b = Collator.pad(xs, 0);
            NDArray logits = LmTrainer.logits(model, b, sub, false);
            return SftLoss.loss(logits, b.toNDList(sub).get(1)).getFloat();
        }
    }

    @ParameterizedTest
    @EnumSource(PeftMethod.class)
    void lossFallsAndOnlyTrainableParametersChange(PeftMethod method) {
        List<TokenizedExample> data = TinyRuns.examples(8, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM model = TinyRuns.model(m, 3);
            Map<String, Parameter> trainable = Peft.apply(model, config(method), m);
            Map<String, float[]> before = TinyRuns.snapshot(model);
            double lossBefore = loss(model, data, m);
            TrainingArgs args = TrainingArgs.builder().outputDir(dir.resolve(method.configName()).toString())
                    .maxSteps(12).perDeviceTrainBatchSize(4).learningRate(method == PeftMethod.BITFIT ? 5e-2 : 1e-2)
                    .lrSchedulerType(SchedulerType.CONSTANT).device("cpu").saveSteps(0).build();
            Map<String, Parameter> live = new java.util.LinkedHashMap<>();
            model.namedParameters().forEach((k, p) -> {
                if (p.isInitialized()) {
                    live.put(k, p);
                }
            });
            TrainingEngine.<Batch>builder().setParameters(trainable).optModelParameters(live).setArgs(args)
                    .setData(new LmBatches(data, 4, 0, LmBatches.Layout.PLAIN, 0, 1, "h"))
                    .setLoss(LmTrainer.lossFunction(model)).build().run();
            double lossAfter = loss(model, data, m);
            assertThat(lossAfter).as("%s loss", method).isLessThan(lossBefore - 0.05);

            Map<String, float[]> after = TinyRuns.snapshot(model);
            Predicate<String> change = shouldChange(method);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (String name : before.keySet()) {
                boolean same = Arrays.equals(before.get(name), after.get(name));
                if (change.test(name)) {
                    assertThat(same).as("%s: %s should change", method, name).isFalse();
                    assertThat(trainable).containsKey(name);
                } else {
                    assertThat(same).as("%s: %s should be bit-identical", method, name).isTrue();
                    assertThat(trainable).doesNotContainKey(name);
                }
            }
        }
    }

    @Test
    void loraAtStepZeroGivesTheBaseLogits() {
        List<TokenizedExample> data = TinyRuns.examples(3, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM model = TinyRuns.model(m, 9);
            Batch b = Collator.pad(data, 0);
            float[] base = LmTrainer.logits(model, b, m, false).toFloatArray();
            Peft.apply(model, PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("all-linear")), m);
            assertThat(Set.copyOf(Peft.trainableParameters(model).keySet())).allMatch(n -> n.contains(".lora."));
            float[] adapted = LmTrainer.logits(model, b, m, false).toFloatArray();
            assertThat(adapted).containsExactly(base);
        }
    }
}
