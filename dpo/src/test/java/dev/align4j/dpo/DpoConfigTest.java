package dev.align4j.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.TrainingArgs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

class DpoConfigTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsFollowTrl() {
        DpoConfig c = DpoConfig.of("sft", "pairs.jsonl");
        assertThat(c.refModel()).isEqualTo("sft");
        assertThat(c.lossType()).isEqualTo(DpoLossType.SIGMOID);
        assertThat(c.beta()).isEqualTo(0.1);
        assertThat(c.labelSmoothing()).isZero();
        assertThat(c.simpoGamma()).isEqualTo(0.5);
        assertThat(c.precomputeRefLogProbs()).isTrue();
        assertThat(c.maxLengthOr(256)).isEqualTo(256);
        assertThat(c.maxPromptLengthOr(256)).isEqualTo(128);
    }

    @Test
    void oneFlatFileFeedsTrainingArgsPeftAndDpo() throws IOException {
        Path f = Files.writeString(tmp.resolve("dpo.yaml"), """
                model: runs/sft/model
                data: pairs.jsonl
                loss_type: ipo
                beta: 0.5
                method: full
                learning_rate: 5.0e-5
                max_steps: 10
                """);
        ConfigLoader.Parts p = ConfigLoader.loadParts(f, Map.of("output_dir", "runs/x"), TrainingArgs.class,
                PeftConfig.class, DpoConfig.class);
        assertThat(p.get(DpoConfig.class).lossType()).isEqualTo(DpoLossType.IPO);
        assertThat(p.get(DpoConfig.class).beta()).isEqualTo(0.5);
        assertThat(p.get(PeftConfig.class).method()).isEqualTo(PeftMethod.FULL);
        TrainingArgs a = p.get(TrainingArgs.class);
        assertThat(a.learningRate()).isEqualTo(5e-5);
        assertThat(a.outputDir()).isEqualTo("runs/x");
        // keys the file leaves out keep TrainingArgs' defaults, not 0
        assertThat(a.perDeviceTrainBatchSize()).isEqualTo(TrainingArgs.defaults().perDeviceTrainBatchSize());
        assertThat(a.maxGradNorm()).isEqualTo(1.0);
    }

    @Test
    void theShippedExampleLoads() {
        Path example = Path.of("examples", "sentiment.yaml"); // surefire runs in the module folder
        ConfigLoader.Parts p = ConfigLoader.loadParts(example, Map.of(), TrainingArgs.class, PeftConfig.class,
                DpoConfig.class);
        assertThat(p.get(DpoConfig.class).lossType()).isEqualTo(DpoLossType.SIGMOID);
        assertThat(p.get(TrainingArgs.class).learningRate()).isEqualTo(5e-4);
    }

    @Test
    void badValuesAreNamed() throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.yaml"), "model: m\ndata: d\nlabel_smoothing: 0.7\n");
        assertThatThrownBy(() -> ConfigLoader.loadParts(f, Map.of(), TrainingArgs.class, PeftConfig.class,
                DpoConfig.class)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("label_smoothing: must be in [0, 0.5), got 0.7");
        assertThatThrownBy(() -> new DpoConfig("m", null, "d", "nope", null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("format").hasMessageContaining("nope");
        assertThatThrownBy(() -> new DpoConfig("m", null, "d", null, null, null, DpoLossType.HINGE, null, 0.1, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("label_smoothing").hasMessageContaining("hinge");
        assertThatThrownBy(() -> new DpoConfig("m", null, "d", null, null, null, null, null, null, null, null, null,
                64, 64, null, null, null, null, null, null, null, null, null))
                .hasMessageContaining("max_prompt_length").hasMessageContaining("64");
        assertThatThrownBy(() -> new DpoConfig(null, null, "d", null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null)).hasMessageContaining("model");
        assertThatThrownBy(() -> new DpoConfig("m", null, "d", null, null, null, null, null, null, null, null, null,
                null, null, 2.5, null, null, null, null, null, null, null, null)).hasMessageContaining("val_set_size");
    }
}
