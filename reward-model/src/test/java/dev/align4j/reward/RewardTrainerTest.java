package dev.align4j.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.run.RunStatus;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.PreferenceExample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class RewardTrainerTest {

    private static Map<String, String> settings(Path base, Path data, Path out) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", base.toString());
        m.put("data", data.toString());
        m.put("output_dir", out.toString());
        m.put("max_length", "32");
        m.put("val_set_size", "40");
        m.put("max_steps", "60");
        m.put("per_device_train_batch_size", "16");
        m.put("per_device_eval_batch_size", "40");
        m.put("learning_rate", "3e-3");
        m.put("warmup_steps", "5");
        m.put("eval_steps", "30");
        m.put("logging_steps", "10");
        m.put("device", "cpu");
        return m;
    }

    @Test
    void aTinyRewardModelLearnsASyntheticPreferenceAndSavesAReloadableFolder(@TempDir Path tmp) throws IOException {
        Path base = Synthetic.baseModel(tmp.resolve("base"));
        Path data = Synthetic.pairs(tmp.resolve("pairs.jsonl"), 200, 3);
        Path out = tmp.resolve("run");
        RewardSettings s = RewardSettings.load(null, settings(base, data, out));
        assertThat(s.args().metricForBestModel()).isEqualTo("eval_accuracy");
        assertThat(s.args().greaterIsBetter()).isTrue();

        RunResult r;
        RewardStats finalStats;
        try (RewardRun run = RewardTrainer.prepare(s)) {
            assertThat(run.trainPairs()).isEqualTo(160);
            assertThat(run.valPairs()).isEqualTo(40);
            r = run.train();
            finalStats = run.stats();
        }
        assertThat(r.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(r.metrics().get("eval_accuracy")).isGreaterThan(0.95);
        assertThat(r.metrics().get("train_accuracy")).isGreaterThan(0.95);
        assertThat(r.metrics().get("eval_margin")).isPositive();
        assertThat(out.resolve("metrics.jsonl")).content().contains("\"accuracy\"", "\"eval_accuracy\"",
                "\"chosen_mean\"", "\"rejected_std\"");
        assertThat(out.resolve("config.json")).content().contains("\"center_rewards_coefficient\"");
        Path model = out.resolve("model");
        for (String f : List.of(RewardBundle.HEAD, RewardBundle.STATS, RewardBundle.CONFIG, ModelBundle.PROVENANCE)) {
            assertThat(model.resolve(f)).exists();
        }
        assertThat(model.resolve(ModelBundle.PROVENANCE)).content().contains("\"data_hash\"", "\"seed\"");

        // the saved folder scores the validation pairs exactly as the trainer's final eval did
        try (RewardBundle rm = RewardBundle.load(model, Device.cpu())) {
            List<PreferenceExample> all = DatasetLoader.load(data).as(PreferenceExample.class);
            RewardMetrics.Scores sc = RewardMetrics.score(rm, RewardTrainer.encode(rm, all), 16);
            RewardStats stats = Json.read(model.resolve(RewardBundle.STATS), RewardStats.class);
            assertThat(stats).isEqualTo(finalStats);
            assertThat(stats.count()).isEqualTo(320);
            assertThat(RewardMetrics.of(sc.chosen(), sc.rejected(), null, 0, "").get("accuracy")).isGreaterThan(0.95);
        }
    }

    @Test
    void badDataStopsBeforeAnythingIsWritten(@TempDir Path tmp) throws IOException {
        Path base = Synthetic.baseModel(tmp.resolve("base"));
        Path data = Synthetic.pairs(tmp.resolve("pairs.jsonl"), 10, 3);
        List<String> lines = Synthetic.lines(data);
        lines.set(6, "{\"prompt\": \"x\", \"chosen\": \"y\"}");
        Files.write(data, lines);
        Path out = tmp.resolve("run");
        RewardSettings s = RewardSettings.load(null, settings(base, data, out));
        assertThatThrownBy(() -> RewardTrainer.train(s))
                .isInstanceOf(UserInputException.class).hasMessageContaining(data + ":7");
        assertThat(out).doesNotExist();
    }

    @Test
    void settingsKeepFileValuesOverRewardDefaultsAndRejectUnknownKeys(@TempDir Path tmp) throws IOException {
        Path yaml = tmp.resolve("rm.yaml");
        Files.writeString(yaml, "model: m\ndata: d.jsonl\nlearning_rate: 3.0e-4\nmetric_for_best_model: eval_loss\n"
                + "greater_is_better: false\nmethod: lora\nlora_r: 4\nval_set_size: 0.1\nmax_length: 64\n");
        RewardSettings s = RewardSettings.load(yaml, Map.of("num_train_epochs", "2"));
        assertThat(s.args().learningRate()).isEqualTo(3e-4);
        assertThat(s.args().metricForBestModel()).isEqualTo("eval_loss");
        assertThat(s.args().greaterIsBetter()).isFalse();
        assertThat(s.args().numTrainEpochs()).isEqualTo(2.0);
        assertThat(s.args().perDeviceTrainBatchSize()).isEqualTo(8);
        assertThat(s.peft().loraR()).isEqualTo(4);
        assertThat(s.reward().maxPromptLength()).isEqualTo(32);
        assertThat(s.reward().splitSpec().validationRatio()).isCloseTo(0.1, within(1e-12));

        RewardSettings d = RewardSettings.load(null, Map.of("model", "m", "data", "d"));
        assertThat(d.args().learningRate()).isEqualTo(1e-5);
        assertThat(d.peft().method().name()).isEqualTo("FULL");
        assertThat(d.reward().centerRewardsCoefficient()).isZero();

        Files.writeString(yaml, "model: m\ndata: d\ncenter_reward_coefficient: 0.01\n");
        assertThatThrownBy(() -> RewardSettings.load(yaml, Map.of()))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(yaml + ":3")
                .hasMessageContaining("center_rewards_coefficient");
        assertThatThrownBy(() -> RewardSettings.load(null, Map.of("model", "m", "data", "d", "val_set_size", "2.5")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("val_set_size");
    }
}
