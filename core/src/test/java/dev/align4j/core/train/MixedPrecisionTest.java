package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import dev.align4j.core.io.Json;
import dev.align4j.core.model.Autocast;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.model.TestModels;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** fp16 mixed precision: Autocast products, fp32 master weights and dynamic loss scaling. */
class MixedPrecisionTest {

    @TempDir
    Path dir;

    @Test
    void halfForwardMatchesFloat32ForGpt2AndLlama() {
        for (ModelConfig cfg : List.of(TestModels.gpt2(), TestModels.llamaGqa())) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLM model = TestModels.random(cfg, m, 5);
                NDArray ids = m.create(new int[] {1, 5, 9, 3, 7, 2, 11, 4, 6, 8}, new Shape(2, 5));
                float[] full = model.forward(ids, null, null, null, false).logits().toFloatArray();
                NDArray half;
                try (MixedPrecision mp = new MixedPrecision(model.namedParameters().values(), m);
                        NDManager step = m.newSubManager();
                        Autocast ac = mp.open(step, false)) {
                    assertThat(Autocast.dtype()).isEqualTo(DataType.FLOAT16);
                    half = model.forward(ids, null, null, null, false).logits();
                    assertThat(half.getDataType()).isEqualTo(DataType.FLOAT32);
                    float[] h = half.toFloatArray();
                    double maxDiff = 0;
                    double maxAbs = 0;
                    for (int i = 0; i < full.length; i++) {
                        maxDiff = Math.max(maxDiff, Math.abs(full[i] - h[i]));
                        maxAbs = Math.max(maxAbs, Math.abs(full[i]));
                    }
                    // float16 keeps 11 significant bits; two layers of products drift by ~1e-3 relative
                    assertThat(maxDiff).as(cfg.toString()).isLessThan(0.01 * maxAbs).isGreaterThan(0);
                }
                assertThat(Autocast.dtype()).isNull();
                model.namedParameters().values().forEach(p -> assertThat(p.getArray().getDataType()).isEqualTo(DataType.FLOAT32));
            }
        }
    }

    @Test
    void halfGradientsMovedOntoFloat32MastersMatchFloat32Gradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM model = TestModels.random(TestModels.llamaGqa(), m, 5);
            NDArray ids = m.create(new int[] {1, 5, 9, 3, 7, 2, 11, 4, 6, 8}, new Shape(2, 5));
            Map<String, float[]> g32 = grads(model, ids, null);
            Map<String, float[]> g16;
            try (MixedPrecision mp = new MixedPrecision(model.namedParameters().values(), m)) {
                g16 = grads(model, ids, mp);
            }
            double num = 0;
            double den = 0;
            for (Map.Entry<String, float[]> e : g32.entrySet()) {
                float[] a = e.getValue();
                float[] b = g16.get(e.getKey());
                for (int i = 0; i < a.length; i++) {
                    num += (a[i] - b[i]) * (double) (a[i] - b[i]);
                    den += a[i] * (double) a[i];
                }
            }
            assertThat(g16.keySet()).containsExactlyElementsOf(g32.keySet());
            assertThat(Math.sqrt(num / den)).as("relative gradient error").isLessThan(2e-2).isGreaterThan(0);
        }
    }

    /** Gradients of the mean next-token NLL, computed with a loss scale of 1024 and divided by it. */
    private static Map<String, float[]> grads(CausalLM model, NDArray ids, MixedPrecision mp) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager sub = ids.getManager().newSubManager()) {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits;
                if (mp == null) {
                    logits = model.forward(ids, null, null, null, true).logits();
                } else {
                    try (Autocast ac = mp.open(sub, true)) {
                        logits = model.forward(ids, null, null, null, true).logits();
                    }
                }
                NDArray lp = LogProbs.tokenLogProbs(logits.get(":, :-1"), ids.get(":, 1:"));
                gc.backward(lp.mean().neg().mul(1024f));
            }
            if (mp != null) {
                mp.moveGradients();
            }
            model.namedParameters().forEach((k, p) -> {
                NDArray g = p.getArray().getGradient();
                assertThat(g.getDataType()).isEqualTo(DataType.FLOAT32);
                out.put(k, g.div(1024f).toFloatArray());
                g.subi(g);
            });
        }
        return out;
    }

    private TrainingArgs.Builder args(String name) {
        return TrainingArgs.builder().outputDir(dir.resolve(name).toString()).device("cpu")
                .learningRate(0.05).warmupSteps(2).maxGradNorm(1.0).perDeviceTrainBatchSize(4)
                .loggingSteps(1).saveSteps(0);
    }

    private static List<Map<String, Double>> train(TinyRegressor model, TrainingArgs a, long stopAt) {
        List<Map<String, Double>> steps = new ArrayList<>();
        TrainingEngine.<TinyRegressor.Batch>builder()
                .setParameters(model.namedParameters()).setArgs(a).setData(new TinyRegressor.Data(16, 4, 3))
                .setLoss((batch, mgr) -> model.loss(batch))
                .optListener(new TrainingListener() {
                    @Override
                    public boolean onStep(long step, Map<String, Double> metrics) {
                        steps.add(metrics);
                        return step < stopAt;
                    }
                }).build().run();
        return steps;
    }

    private static Map<String, float[]> snapshot(TinyRegressor model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }

    @Test
    void fp16TrainsLikeFp32WhenNothingOverflows() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor a = TinyRegressor.create(m, 3);
            List<Map<String, Double>> full = train(a, args("fp32").maxSteps(30).build(), 30);
            TinyRegressor b = TinyRegressor.create(m, 3);
            List<Map<String, Double>> mixed = train(b, args("fp16").maxSteps(30).fp16(true)
                    .fp16InitialScale(256).build(), 30);
            assertThat(mixed.get(29).get("skipped_steps")).isZero();
            assertThat(mixed.get(29).get("loss_scale")).isEqualTo(256.0);
            assertThat(mixed.get(29).get("loss")).isLessThan(mixed.get(0).get("loss") * 0.7);
            assertThat(mixed.get(29).get("loss")).isCloseTo(full.get(29).get("loss"), within(0.02));
            Map<String, float[]> pa = snapshot(a);
            Map<String, float[]> pb = snapshot(b);
            boolean anyDiff = false;
            for (String k : pa.keySet()) {
                for (int i = 0; i < pa.get(k).length; i++) {
                    assertThat(pb.get(k)[i]).as(k).isCloseTo(pa.get(k)[i], within(0.03f));
                    anyDiff |= pb.get(k)[i] != pa.get(k)[i];
                }
            }
            assertThat(anyDiff).as("fp16 products change the bits").isTrue();
            assertThat(full.get(0)).doesNotContainKey("loss_scale");
        }
    }

    @Test
    void overflowSkipsTheStepHalvesTheScaleAndLeavesWeightsUntouched() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor model = TinyRegressor.create(m, 3);
            Map<String, float[]> before = snapshot(model);
            // 2^40 times any gradient of order 1e-3 is far beyond float16's 65504
            double init = Math.pow(2, 40);
            List<Map<String, Double>> first = train(model, args("skip").maxSteps(1).fp16(true)
                    .fp16InitialScale(init).build(), 1);
            assertThat(first.get(0).get("skipped_steps")).isEqualTo(1.0);
            assertThat(first.get(0).get("loss_scale")).isEqualTo(init / 2);
            assertThat(first.get(0)).as("a skipped step has no gradient norm to report").doesNotContainKey("grad_norm");
            Map<String, float[]> after = snapshot(model);
            before.forEach((k, v) -> assertThat(after.get(k)).as(k).containsExactly(v));

            TinyRegressor again = TinyRegressor.create(m, 3);
            List<Map<String, Double>> run = train(again, args("skip40").maxSteps(40).fp16(true)
                    .fp16InitialScale(init).build(), 40);
            long skipped = Math.round(run.get(39).get("skipped_steps"));
            assertThat(skipped).isBetween(10L, 39L);
            assertThat(run.get(39).get("loss_scale")).isEqualTo(init / Math.pow(2, skipped));
            assertThat(snapshot(again).get("w1")).isNotEqualTo(before.get("w1"));
            // skips come first, while the scale is too large; then every step is taken
            for (int i = 0; i < 40; i++) {
                assertThat(run.get(i).get("skipped_steps")).isEqualTo((double) Math.min(i + 1, skipped));
            }
            List<String> lines = Files.readAllLines(dir.resolve("skip40/metrics.jsonl"));
            JsonNode last = Json.mapper().readTree(lines.get(lines.size() - 1));
            assertThat(last.get("loss_scale").asDouble()).isEqualTo(init / Math.pow(2, skipped));
        }
    }

    @Test
    void resumeRestoresTheLossScaleAndIsBitIdentical() throws IOException {
        double init = Math.pow(2, 30);
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor a = TinyRegressor.create(m, 6);
            train(a, args("straight").maxSteps(24).fp16(true).fp16InitialScale(init).build(), 24);
            TrainingArgs parted = args("parted").maxSteps(24).fp16(true).fp16InitialScale(init).build();
            TinyRegressor b = TinyRegressor.create(m, 6);
            List<Map<String, Double>> firstHalf = train(b, parted, 12);
            assertThat(firstHalf.get(11).get("skipped_steps")).isGreaterThan(0);
            JsonNode saved = Json.mapper().readTree(dir.resolve("parted/checkpoints/step-12/loss_scaler.json").toFile());
            assertThat(saved.get("scale").asDouble()).isEqualTo(firstHalf.get(11).get("loss_scale"));
            TinyRegressor c = TinyRegressor.create(m, 77);
            train(c, parted.toBuilder().resumeFromCheckpoint("latest").build(), 24);
            Map<String, float[]> sa = snapshot(a);
            Map<String, float[]> sc = snapshot(c);
            sa.forEach((k, v) -> assertThat(sc.get(k)).as(k).containsExactly(v));
        }
    }
}
