package dev.align4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;

import org.junit.jupiter.api.Test;

class TrainingArgsTest {

    @Test
    void defaultsFollowHuggingFace() {
        TrainingArgs d = TrainingArgs.defaults();
        assertThat(d.learningRate()).isEqualTo(5e-5);
        assertThat(d.adamBeta2()).isEqualTo(0.999);
        assertThat(d.lrSchedulerType()).isEqualTo(SchedulerType.LINEAR);
        assertThat(d.maxSteps()).isEqualTo(-1);
        assertThat(d.seed()).isEqualTo(42);
        assertThat(d.resumeFromCheckpoint()).isNull();
    }

    @Test
    void validationNamesFieldAndValue() {
        assertThatThrownBy(() -> TrainingArgs.builder().learningRate(-1).build())
                .isInstanceOf(UserInputException.class).hasMessageContaining("learning_rate").hasMessageContaining("-1");
        assertThatThrownBy(() -> TrainingArgs.builder().warmupRatio(1.5).build())
                .hasMessageContaining("warmup_ratio").hasMessageContaining("1.5");
        assertThatThrownBy(() -> TrainingArgs.builder().gradientAccumulationSteps(0).build())
                .hasMessageContaining("gradient_accumulation_steps").hasMessageContaining("0");
        assertThatThrownBy(() -> TrainingArgs.builder().device("tpu").build())
                .hasMessageContaining("device").hasMessageContaining("tpu");
        assertThatThrownBy(() -> TrainingArgs.builder().numTrainEpochs(0).build())
                .hasMessageContaining("num_train_epochs");
        // epochs do not matter when max_steps is set
        assertThat(TrainingArgs.builder().numTrainEpochs(0).maxSteps(5).build().maxSteps()).isEqualTo(5);
    }

    @Test
    void partialYamlOverDefaultsWithSnakeCaseKeys() throws Exception {
        JsonNode node = Json.yaml().readTree("""
                output_dir: runs/sft
                learning_rate: 3.0e-4
                lr_scheduler_type: cosine
                gradient_accumulation_steps: 4
                device: gpu:1
                """);
        TrainingArgs a = TrainingArgs.fromTree(node);
        assertThat(a.outputDir()).isEqualTo("runs/sft");
        assertThat(a.learningRate()).isEqualTo(3e-4);
        assertThat(a.lrSchedulerType()).isEqualTo(SchedulerType.COSINE);
        assertThat(a.gradientAccumulationSteps()).isEqualTo(4);
        assertThat(a.perDeviceTrainBatchSize()).isEqualTo(8);
        assertThat(Json.line(a)).contains("\"per_device_train_batch_size\":8", "\"lr_scheduler_type\":\"cosine\"");
        assertThat(Json.mapper().readValue(Json.line(a), TrainingArgs.class)).isEqualTo(a);
    }

    @Test
    void unknownKeysAndBadValuesFromFilesAreUserErrors() throws Exception {
        assertThatThrownBy(() -> TrainingArgs.fromTree(Json.yaml().readTree("learning_rat: 1\n")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("learning_rat");
        assertThatThrownBy(() -> TrainingArgs.fromTree(Json.yaml().readTree("weight_decay: -2\n")))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith("weight_decay: must be a finite number >= 0, got -2");
    }

    @Test
    void totalStepsFromEpochsAndAccumulation() {
        TrainingArgs a = TrainingArgs.builder().numTrainEpochs(2).gradientAccumulationSteps(4).build();
        assertThat(a.totalSteps(10)).isEqualTo(5); // ceil(2 * 10 / 4)
        assertThat(a.toBuilder().numTrainEpochs(0.5).build().totalSteps(10)).isEqualTo(2); // ceil(1.25)
        assertThat(a.toBuilder().maxSteps(7).build().totalSteps(10)).isEqualTo(7);
        assertThat(a.toBuilder().warmupRatio(0.1).build().schedule(100).warmupSteps()).isEqualTo(10);
    }
}
