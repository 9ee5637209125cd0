package dev.align4j.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.NonFiniteGuard;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class DpoTrainerTest {

    @TempDir
    Path tmp;

    private DpoConfig config(Path model, Path data, DpoLossType type, double val) {
        return new DpoConfig(model.toString(), null, data.toString(), null, null, null, type, null, null, null, null,
                null, 32, 16, val, null, null, null, null, 4, 8, null, null);
    }

    @Test
    void tinyRunSeparatesSeparablePairs() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 1);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 64, 2);
        Path out = tmp.resolve("run");
        RunResult r = DpoTrainer.train(DpoFixtures.args(out, 24).build(), PeftConfig.of(PeftMethod.FULL),
                config(model, data, DpoLossType.SIGMOID, 16));

        assertThat(r.metrics().get("eval_rewards/accuracies")).isGreaterThan(0.9);
        assertThat(r.metrics().get("eval_rewards/margins")).isGreaterThan(0);
        assertThat(r.metrics()).containsKeys("rewards/chosen", "rewards/rejected", "rewards/accuracies",
                "rewards/margins", "logps/chosen", "logps/rejected");
        assertThat(out.resolve("model").resolve(ModelBundle.PROVENANCE)).exists();
        assertThat(out.resolve(ReferenceLogProbs.FILE)).exists();
        List<String> samples = Files.readAllLines(out.resolve(DpoSamples.FILE));
        assertThat(samples).hasSize(4);
        JsonNode s = Json.mapper().readTree(samples.get(0));
        assertThat(s.has("prompt") && s.has("completion")).isTrue();
        String metrics = Files.readString(out.resolve("metrics.jsonl"));
        assertThat(metrics).contains("\"rewards/accuracies\"", "\"eval_rewards/accuracies\"");
    }

    @Test
    void cachedReferenceEqualsRecomputedAndIsReusedOnResume() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 3);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 12, 4);
        Path out = tmp.resolve("run");
        DpoConfig cfg = config(model, data, DpoLossType.SIGMOID, 0);
        DpoTrainer.train(DpoFixtures.args(out, 2).build(), PeftConfig.of(PeftMethod.FULL), cfg);
        Path file = out.resolve(ReferenceLogProbs.FILE);
        String before = Files.readString(file);
        String key = Json.mapper().readTree(before.lines().findFirst().orElseThrow()).get("key").asText();
        ReferenceLogProbs cached = ReferenceLogProbs.load(file, key, 12).orElseThrow();

        try (ModelBundle ref = ModelBundle.load(model, Device.cpu(), null)) {
            DpoData d = DpoData.load(cfg, ref.tokenizer(), ref.template(), 48, 7);
            // batch size 1: no padding at all, so masking and batching cannot hide a mistake
            ReferenceLogProbs again = ReferenceLogProbs.compute(key, ref.model(), d.pairs(), 1, 0);
            for (int i = 0; i < 12; i++) {
                for (boolean c : new boolean[] {true, false}) {
                    assertThat(cached.sum(i, c)).isCloseTo(again.sum(i, c), within(1e-5f));
                    assertThat(cached.tokens(i, c)).isEqualTo(again.tokens(i, c));
                }
            }
            // and pair 0's chosen reply scored by hand: sum over reply tokens of log softmax(logits)[next]
            TokenizedPreference p = d.pairs().get(0);
            assertThat(cached.sum(0, true)).isCloseTo(naiveReplyLogProb(ref, p), within(1e-5f));
            assertThat(cached.tokens(0, true)).isEqualTo(p.chosenLength());
        }

        // resumed for two more steps: the cache is reused as is
        DpoTrainer.train(DpoFixtures.args(out, 4).resumeFromCheckpoint("latest").build(),
                PeftConfig.of(PeftMethod.FULL), cfg);
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    private static float naiveReplyLogProb(ModelBundle b, TokenizedPreference p) {
        int n = p.promptLength() + p.chosenLength();
        int[] ids = new int[n];
        System.arraycopy(p.promptIds(), 0, ids, 0, p.promptLength());
        System.arraycopy(p.chosenIds(), 0, ids, p.promptLength(), p.chosenLength());
        try (NDManager m = b.manager().newSubManager()) {
            float[] logits = b.model().forward(m.create(ids, new Shape(1, n)), null, false).logits().toFloatArray();
            int v = b.config().vocabSize();
            double sum = 0;
            for (int t = p.promptLength() - 1; t < n - 1; t++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) {
                    max = Math.max(max, logits[t * v + j]);
                }
                double z = 0;
                for (int j = 0; j < v; j++) {
                    z += Math.exp(logits[t * v + j] - max);
                }
                sum += logits[t * v + ids[t + 1]] - max - Math.log(z);
            }
            return (float) sum;
        }
    }

    @Test
    void loraRunSavesAdapterAndAMergedPlainModel() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 5);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 16, 6);
        Path out = tmp.resolve("run");
        PeftConfig lora = PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("q_proj", "v_proj"));
        RunResult r = DpoTrainer.train(DpoFixtures.args(out, 4).learningRate(1e-2).build(), lora,
                config(model, data, DpoLossType.SIGMOID, 0));
        assertThat(r.adapterDir()).isEqualTo(out.resolve("adapter"));
        float[] exported;
        float[] viaAdapter;
        float[] base;
        try (ModelBundle m = ModelBundle.load(out.resolve("model"), Device.cpu(), null)) {
            exported = logits(m);
        }
        try (ModelBundle m = ModelBundle.load(model, Device.cpu(), null)) {
            base = logits(m);
            m.applyAdapter(out.resolve("adapter"), true);
            viaAdapter = logits(m);
        }
        assertThat(exported).containsExactly(viaAdapter, within(1e-5f));
        assertThat(maxAbsDiff(exported, base)).isGreaterThan(1e-4f); // training moved the policy
        assertThat(out.resolve(DpoSamples.FILE)).exists();
    }

    private static float[] logits(ModelBundle b) {
        try (NDManager m = b.manager().newSubManager()) {
            return b.model().forward(m.create(new int[] {1, 97, 98, 99, 32, 65}, new Shape(1, 6)), null, false)
                    .logits().toFloatArray();
        }
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void everyLossTypeTrainsAndLogsItsMetrics() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 8);
        Path pairs = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 12, 9);
        Path kto = DpoFixtures.unpaired(tmp.resolve("kto.jsonl"), 12, 10);
        for (DpoLossType type : DpoLossType.values()) {
            Path out = tmp.resolve("run-" + type);
            Path data = type == DpoLossType.KTO ? kto : pairs;
            RunResult r = DpoTrainer.train(DpoFixtures.args(out, 2).build(), PeftConfig.of(PeftMethod.FULL),
                    config(model, data, type, 4));
            assertThat(r.metrics().values()).as(type.name()).allMatch(Double::isFinite);
            assertThat(r.metrics()).as(type.name()).containsKeys("eval_loss", "eval_rewards/chosen");
            assertThat(Files.exists(out.resolve(ReferenceLogProbs.FILE))).as(type.name())
                    .isEqualTo(type.needsReference());
        }
    }

    @Test
    void nanStopsTheRunNamingTheStepAndLeavesTheLastCheckpointLoadable() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 11);
        Path data = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 16, 12);
        Path out = tmp.resolve("run");
        DpoConfig cfg = config(model, data, DpoLossType.SIGMOID, 0);
        DpoTrainer.train(DpoFixtures.args(out, 2).saveSteps(1).build(), PeftConfig.of(PeftMethod.FULL), cfg);
        // poison the reference cache: the resumed run reuses it and its loss turns NaN at step 3
        Path file = out.resolve(ReferenceLogProbs.FILE);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        for (int i = 1; i < lines.size(); i++) {
            lines.set(i, lines.get(i).replaceFirst("\"chosen\":[^,]+", "\"chosen\":\"NaN\""));
        }
        Files.write(file, lines);
        assertThatThrownBy(() -> DpoTrainer.train(DpoFixtures.args(out, 4).saveSteps(1).resumeFromCheckpoint("latest")
                .build(), PeftConfig.of(PeftMethod.FULL), cfg))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NaN").hasMessageContaining("step 3");
        Path last = Checkpoint.latest(Checkpoint.dir(out)).orElseThrow();
        assertThat(Checkpoint.step(last)).isEqualTo(2);
        try (ModelBundle b = ModelBundle.load(model, Device.cpu(), null)) {
            Checkpoint.restoreWeights(last, b.model().namedParameters(), b.manager());
            float[] l = logits(b);
            for (float x : l) {
                assertThat(Float.isFinite(x)).isTrue();
            }
        }
    }

    @Test
    void guardNamesTheMetricAndStep() {
        NonFiniteGuard guard = new NonFiniteGuard(tmp);
        guard.check(3, Map.of("loss", 0.5, "rewards/chosen", 0.1));
        assertThatThrownBy(() -> guard.check(4, Map.of("loss", 0.5, "rewards/margins", Double.NaN)))
                .isInstanceOf(NonFiniteGuard.NonFiniteException.class)
                .hasMessageContaining("rewards/margins is NaN at step 4")
                .hasMessageContaining("Last good checkpoint: none");
    }

    @Test
    void badInputFailsBeforeWritingAnything() throws IOException {
        Path model = DpoFixtures.tinyModel(tmp.resolve("sft"), 13);
        Path data = tmp.resolve("bad.jsonl");
        Files.writeString(data, "{\"prompt\": \"ab\", \"chosen\": \" cA\", \"rejected\": \" cB\"}\n"
                + "{\"prompt\": \"ab\", \"chosen\": \" cA\"}\n");
        Path out = tmp.resolve("run");
        assertThatThrownBy(() -> DpoTrainer.train(DpoFixtures.args(out, 2).build(), PeftConfig.of(PeftMethod.FULL),
                config(model, data, DpoLossType.SIGMOID, 0)))
                .isInstanceOf(UserInputException.class).hasMessageContaining(data + ":2");
        assertThat(out).doesNotExist();

        Path pairs = DpoFixtures.separablePairs(tmp.resolve("pairs.jsonl"), 8, 1);
        DpoConfig otherRef = new DpoConfig(model.toString(), tmp.resolve("other").toString(), pairs.toString(), null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
        assertThatThrownBy(() -> DpoTrainer.train(DpoFixtures.args(out, 2).build(), PeftConfig.of(PeftMethod.LORA),
                otherRef))
                .isInstanceOf(UserInputException.class).hasMessageContaining("ref_model");
        assertThatThrownBy(() -> DpoTrainer.train(DpoFixtures.args(out, 2).build(), PeftConfig.of(PeftMethod.FULL),
                config(model, pairs, DpoLossType.KTO, 0)))
                .isInstanceOf(UserInputException.class).hasMessageContaining("needs unpaired");
        assertThat(out).doesNotExist();
    }
}
