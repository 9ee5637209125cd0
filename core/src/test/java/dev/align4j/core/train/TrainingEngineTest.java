package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import com.fasterxml.jackson.databind.JsonNode;

import dev.align4j.core.io.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class TrainingEngineTest {

    @TempDir
    Path dir;

    private TrainingArgs.Builder args(String name) {
        return TrainingArgs.builder().outputDir(dir.resolve(name).toString()).device("cpu")
                .learningRate(0.05).weightDecay(0.01).warmupSteps(3).maxGradNorm(0.5)
                .perDeviceTrainBatchSize(4).loggingSteps(5).saveSteps(0);
    }

    private static TrainResult train(TinyRegressor model, TrainingArgs a, BatchSource<TinyRegressor.Batch> data,
            TrainingListener listener) {
        return TrainingEngine.<TinyRegressor.Batch>builder()
                .setParameters(model.namedParameters()).setArgs(a).setData(data)
                .setLoss((batch, mgr) -> model.loss(batch)).optListener(listener).build().run();
    }

    private static Map<String, float[]> snapshot(TinyRegressor model) {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }

    private static void assertBitIdentical(Map<String, float[]> a, Map<String, float[]> b) {
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((k, v) -> assertThat(b.get(k)).as(k).containsExactly(v));
    }

    @Test
    void stoppedAndResumedRunIsBitIdenticalToStraightRun() {
        TrainingArgs straight = args("straight").maxSteps(20).gradientAccumulationSteps(2).build();
        TrainingArgs parted = args("parted").maxSteps(20).gradientAccumulationSteps(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor a = TinyRegressor.create(m, 7);
            train(a, straight, new TinyRegressor.Data(12, 4, 1), null);

            TinyRegressor b = TinyRegressor.create(m, 7);
            TrainResult first = train(b, parted, new TinyRegressor.Data(12, 4, 1), new TrainingListener() {
                @Override
                public boolean onStep(long step, Map<String, Double> metrics) {
                    return step < 10;
                }
            });
            assertThat(first.steps()).isEqualTo(10);
            assertThat(first.lastCheckpoint().getFileName().toString()).isEqualTo("step-10");
            assertThat(snapshot(b).get("w1")).isNotEqualTo(snapshot(a).get("w1"));

            // a fresh model with other weights: everything must come from the checkpoint
            TinyRegressor c = TinyRegressor.create(m, 99);
            TrainResult second = train(c, parted.toBuilder().resumeFromCheckpoint("latest").build(),
                    new TinyRegressor.Data(12, 4, 1), null);
            assertThat(second.steps()).isEqualTo(20);
            assertBitIdentical(snapshot(a), snapshot(c));
        }
    }

    @Test
    void resumeIsBitIdenticalEvenWithDropoutBecauseTheEngineReseedsEachStep() {
        TrainingArgs a = args("drop").maxSteps(12).build();
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor straight = TinyRegressor.create(m, 4);
            trainWithDropout(straight, a.toBuilder().outputDir(dir.resolve("drop-a").toString()).build(), 12);
            TinyRegressor parted = TinyRegressor.create(m, 4);
            trainWithDropout(parted, a, 6);
            TinyRegressor resumed = TinyRegressor.create(m, 8);
            trainWithDropout(resumed, a.toBuilder().resumeFromCheckpoint("latest").build(), 12);
            assertBitIdentical(snapshot(straight), snapshot(resumed));
        }
    }

    private static void trainWithDropout(TinyRegressor model, TrainingArgs a, long stopAt) {
        TrainingEngine.<TinyRegressor.Batch>builder()
                .setParameters(model.namedParameters()).setArgs(a).setData(new TinyRegressor.Data(12, 4, 1))
                .setLoss((batch, mgr) -> model.loss(batch, 0.5))
                .optListener(new TrainingListener() {
                    @Override
                    public boolean onStep(long step, Map<String, Double> metrics) {
                        return step < stopAt;
                    }
                }).build().run();
    }

    @Test
    void sameSeedIsBitIdenticalAndSeedChangesTheRun() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<Map<String, float[]>> runs = new ArrayList<>();
            for (long seed : new long[] {3, 3, 4}) {
                TinyRegressor model = TinyRegressor.create(m, 11);
                train(model, args("seed" + runs.size()).maxSteps(8).seed(seed).build(),
                        new TinyRegressor.Data(16, 4, 1), null);
                runs.add(snapshot(model));
            }
            assertBitIdentical(runs.get(0), runs.get(1));
            assertThat(runs.get(2).get("w1")).isNotEqualTo(runs.get(0).get("w1"));
        }
    }

    /** Records every step's host metrics. */
    private static final class Recorder implements TrainingListener {
        final List<Map<String, Double>> steps = new ArrayList<>();

        @Override
        public boolean onStep(long step, Map<String, Double> metrics) {
            steps.add(metrics);
            return true;
        }
    }

    @Test
    void oneBatchOfEightEqualsEightAccumulatedBatchesOfOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            // no clipping, so grad_norm is the raw norm: Adam itself is nearly blind to a gradient
            // scale error, the norm is not
            TinyRegressor big = TinyRegressor.create(m, 5);
            Recorder bigLog = new Recorder();
            train(big, args("big").maxSteps(3).maxGradNorm(0).perDeviceTrainBatchSize(8).build(),
                    new TinyRegressor.Data(8, 8, 2), bigLog);
            TinyRegressor small = TinyRegressor.create(m, 5);
            Recorder smallLog = new Recorder();
            train(small, args("small").maxSteps(3).maxGradNorm(0).perDeviceTrainBatchSize(1)
                    .gradientAccumulationSteps(8).build(), new TinyRegressor.Data(8, 1, 2), smallLog);

            for (int i = 0; i < 3; i++) {
                for (String k : List.of("loss", "grad_norm", "mae")) {
                    assertThat(smallLog.steps.get(i).get(k)).as("step %d %s", i + 1, k)
                            .isCloseTo(bigLog.steps.get(i).get(k), org.assertj.core.data.Offset.offset(1e-5));
                }
            }
            Map<String, float[]> a = snapshot(big);
            Map<String, float[]> b = snapshot(small);
            a.forEach((k, v) -> {
                for (int i = 0; i < v.length; i++) {
                    assertThat(b.get(k)[i]).as("%s[%d]", k, i).isCloseTo(v[i], org.assertj.core.data.Offset.offset(1e-5f));
                }
            });
            // training moved the weights, so the comparison means something
            assertThat(a.get("w1")).isNotEqualTo(snapshot(TinyRegressor.create(m, 5)).get("w1"));
        }
    }

    @Test
    void nativeArraysStopGrowingOverThreeHundredSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDManager system = m.getParentManager();
            TinyRegressor model = TinyRegressor.create(m, 1);
            Map<Long, Integer> arrays = new LinkedHashMap<>();
            Map<Long, Long> rss = new LinkedHashMap<>();
            TinyRegressor.Data data = new TinyRegressor.Data(16, 4, 1);
            TrainingEngine.<TinyRegressor.Batch>builder()
                    .setParameters(model.namedParameters()).setData(data)
                    .setArgs(args("leak").maxSteps(300).loggingSteps(100).saveSteps(50).evalSteps(50).saveTotalLimit(1).build())
                    .setLoss((batch, mgr) -> model.loss(batch))
                    // eval forwards through the parameters too, on the engine's manager
                    .optEval((step, mgr) -> Map.of("eval_loss",
                            TrainingEngine.scalar(model.loss(data.batch(0, 0, 0, mgr)).loss())))
                    .optListener(new TrainingListener() {
                        @Override
                        public boolean onStep(long step, Map<String, Double> metrics) {
                            if (step == 100 || step == 300) {
                                arrays.put(step, system.getManagedArrays().size());
                                rss.put(step, residentBytes());
                            }
                            return true;
                        }
                    }).build().run();
            // the count is exact and deterministic: any per-step leak (100+ arrays) shows
            assertThat(arrays.get(300L)).isEqualTo(arrays.get(100L));
            if (rss.get(100L) > 0) {
                assertThat(rss.get(300L) - rss.get(100L)).as("RSS growth").isLessThan(64L << 20);
            }
        }
    }

    private static long residentBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Test
    void writesRunFilesMetricsAndPrunesCheckpointsKeepingTheBest() throws IOException {
        TrainingArgs a = args("files").maxSteps(20).saveSteps(5).saveTotalLimit(2).evalSteps(5).build();
        Path out = Path.of(a.outputDir());
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor model = TinyRegressor.create(m, 2);
            TrainResult r = TrainingEngine.<TinyRegressor.Batch>builder()
                    .setParameters(model.namedParameters()).setArgs(a).setData(new TinyRegressor.Data(16, 4, 1))
                    .setLoss((batch, mgr) -> model.loss(batch))
                    .optEval((step, mgr) -> Map.of("eval_loss", (double) Math.abs(step - 5)))
                    .build().run();

            assertThat(r.bestCheckpoint()).isEqualTo(Checkpoint.dir(out).resolve("step-5"));
            assertThat(r.bestValue()).isEqualTo(0.0);
            assertThat(Checkpoint.list(Checkpoint.dir(out)).stream().map(p -> p.getFileName().toString()))
                    .containsExactly("step-5", "step-20");
            Path last = Checkpoint.dir(out).resolve("step-20");
            assertThat(last.resolve(Checkpoint.WEIGHTS)).isRegularFile();
            assertThat(last.resolve(Checkpoint.OPTIMIZER)).isRegularFile();
            TrainState s = Checkpoint.readState(last);
            assertThat(s.step()).isEqualTo(20);
            assertThat(s.microBatch()).isEqualTo(20);
            assertThat(s.epoch()).isEqualTo(5.0);
            assertThat(s.bestStep()).isEqualTo(5);
            assertThat(s.dataHash()).isEqualTo("tiny-16");
            assertThat(s.seed()).isEqualTo(42);

            JsonNode run = Json.mapper().readTree(out.resolve("run.json").toFile());
            assertThat(run.get("seed").asLong()).isEqualTo(42);
            assertThat(run.get("data_hash").asText()).isEqualTo("tiny-16");
            assertThat(run.get("total_steps").asLong()).isEqualTo(20);
            assertThat(Json.read(out.resolve("config.json"), TrainingArgs.class)).isEqualTo(a);

            List<JsonNode> lines = new ArrayList<>();
            for (String l : Files.readAllLines(out.resolve("metrics.jsonl"))) {
                lines.add(Json.mapper().readTree(l));
            }
            List<JsonNode> train = lines.stream().filter(n -> n.has("loss")).toList();
            List<JsonNode> evals = lines.stream().filter(n -> n.has("eval_loss")).toList();
            assertThat(train).extracting(n -> n.get("step").asLong()).containsExactly(5L, 10L, 15L, 20L);
            assertThat(evals).extracting(n -> n.get("step").asLong()).containsExactly(5L, 10L, 15L, 20L);
            JsonNode first = train.get(0);
            assertThat(first.fieldNames()).toIterable().contains("step", "epoch", "loss", "lr", "grad_norm",
                    "tokens_per_s", "elapsed_s", "mae", "batch_size");
            assertThat(first.get("batch_size").asDouble()).isEqualTo(4.0);
            assertThat(first.get("epoch").asDouble()).isEqualTo(1.25);
            // lr of step 5 (after 4 completed steps) on the linear schedule: warmup 3, total 20
            assertThat(first.get("lr").asDouble()).isCloseTo(0.05 * 16 / 17, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    @Test
    void resumeFromMissingCheckpointIsAUserErrorAndWritesNothing() {
        TrainingArgs a = args("none").maxSteps(2).resumeFromCheckpoint("latest").build();
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor model = TinyRegressor.create(m, 2);
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> train(model, a, new TinyRegressor.Data(8, 4, 1), null))
                    .isInstanceOf(dev.align4j.core.UserInputException.class)
                    .hasMessageContaining("resume_from_checkpoint");
            assertThat(Path.of(a.outputDir())).doesNotExist();
        }
    }

    @Test
    void frozenParametersAreSavedButNotTrained() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyRegressor model = TinyRegressor.create(m, 3);
            Map<String, Parameter> all = model.namedParameters();
            Map<String, Parameter> head = new LinkedHashMap<>();
            head.put("w2", all.get("w2"));
            head.put("b2", all.get("b2"));
            float[] w1Before = all.get("w1").getArray().toFloatArray();
            TrainingArgs a = args("frozen").maxSteps(3).build();
            TrainResult r = TrainingEngine.<TinyRegressor.Batch>builder()
                    .setParameters(head).optModelParameters(all).setArgs(a)
                    .setData(new TinyRegressor.Data(8, 4, 1)).setLoss((batch, mgr) -> model.loss(batch))
                    .build().run();
            // w1 still gets gradients (requires grad) but is not in the optimizer: unchanged
            assertThat(all.get("w1").getArray().toFloatArray()).containsExactly(w1Before);
            try (NDManager scratch = m.newSubManager()) {
                assertThat(dev.align4j.core.io.Safetensors.load(r.lastCheckpoint().resolve(Checkpoint.WEIGHTS), scratch))
                        .containsKeys("w1", "b1", "w2", "b2");
            }
        }
    }
}
