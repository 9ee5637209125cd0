package dev.align4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TestConfigs.LossType;
import dev.align4j.core.config.TestConfigs.MethodArgs;
import dev.align4j.core.config.TestConfigs.Nested;
import dev.align4j.core.config.TestConfigs.TrainArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static Map<String, String> overrides(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void readsYamlWithSnakeCaseKeys() throws IOException {
        Path file = write("train.yaml", "learning_rate: 1.0e-3\nmax_steps: 100\noutput_dir: runs/a\n");
        TrainArgs args = ConfigLoader.load(file, Map.of(), TrainArgs.class);
        assertThat(args).isEqualTo(new TrainArgs(1e-3, 100, Path.of("runs/a"), 42));
    }

    @Test
    void readsJsonByExtension() throws IOException {
        Path file = write("train.json", "{\"learning_rate\": 0.5, \"max_steps\": 3}");
        assertThat(ConfigLoader.load(file, Map.of(), TrainArgs.class).maxSteps()).isEqualTo(3);
    }

    @Test
    void exponentWithoutDotIsStillANumber() throws IOException {
        // YAML 1.1 reads 1e-4 as a string; scalar coercion must still give the double
        Path file = write("train.yaml", "learning_rate: 1e-4\n");
        assertThat(ConfigLoader.load(file, Map.of(), TrainArgs.class).learningRate()).isEqualTo(1e-4);
    }

    @Test
    void unknownKeyNamesKeyFileLineAndValidKeys() throws IOException {
        Path file = write("train.yaml", "max_steps: 10\n\nlearnig_rate: 0.1\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), TrainArgs.class))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file + ":3: learnig_rate: unknown key (did you mean learning_rate?)")
                .hasMessageContaining("valid keys: learning_rate, max_steps, output_dir, seed");
    }

    @Test
    void wrongTypeNamesKeyFileAndLine() throws IOException {
        Path file = write("train.yaml", "learning_rate: 0.1\nmax_steps: ten\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), TrainArgs.class))
                .isInstanceOf(UserInputException.class)
                .hasMessage(file + ":2: max_steps: cannot read \"ten\" as a whole number");
    }

    @Test
    void fractionForAnIntegerIsAnError() throws IOException {
        Path file = write("train.yaml", "max_steps: 1.5\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), TrainArgs.class))
                .hasMessage(file + ":1: max_steps: cannot read 1.5 as a whole number");
    }

    @Test
    void enumsAreCaseInsensitiveAndBadOnesListTheChoices() throws IOException {
        Path ok = write("ok.yaml", "loss_type: hinge\n");
        assertThat(ConfigLoader.load(ok, Map.of(), MethodArgs.class).lossType()).isEqualTo(LossType.HINGE);
        Path bad = write("bad.yaml", "beta: 0.1\nloss_type: ipo\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of(), MethodArgs.class))
                .hasMessage(bad + ":2: loss_type: cannot read \"ipo\" as one of sigmoid, hinge");
    }

    @Test
    void overridesReplaceFileValues() throws IOException {
        Path file = write("train.yaml", "learning_rate: 0.1\nmax_steps: 10\n");
        TrainArgs args = ConfigLoader.load(file,
                overrides("max_steps", "7", "output_dir", "runs/b", "seed", "3"), TrainArgs.class);
        assertThat(args).isEqualTo(new TrainArgs(0.1, 7, Path.of("runs/b"), 3));
    }

    @Test
    void overrideWithoutFile() {
        TrainArgs args = ConfigLoader.load(null, overrides("max_steps", "5"), TrainArgs.class);
        assertThat(args.maxSteps()).isEqualTo(5);
        assertThat(args.seed()).isEqualTo(42);
    }

    @Test
    void badOverrideNamesTheFlag() throws IOException {
        Path file = write("train.yaml", "max_steps: 10\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, overrides("max_steps", "x"), TrainArgs.class))
                .hasMessage("--set: max_steps: cannot read \"x\" as a whole number");
        assertThatThrownBy(() -> ConfigLoader.load(file, overrides("max_step", "1"), TrainArgs.class))
                .hasMessageStartingWith("--set: max_step: unknown key (did you mean max_steps?)");
    }

    @Test
    void constructorChecksComeOutAsUserInputErrors() throws IOException {
        Path file = write("train.yaml", "# a comment\nmax_steps: -1\n");
        // the record's message names the key: the error is at that key's line
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), TrainArgs.class))
                .isInstanceOf(UserInputException.class)
                .hasMessage(file + ":2: max_steps must be >= 0, got -1");
        // set by a flag: the flag is named instead
        assertThatThrownBy(() -> ConfigLoader.load(file, overrides("max_steps", "-3"), TrainArgs.class))
                .hasMessage("--set: max_steps must be >= 0, got -3");
    }

    @Test
    void laterChecksThatNameAKeyGetItsLine() throws IOException {
        Path file = write("train.yaml", "learning_rate: 0.1\n\nmax_steps: 5\n");
        ConfigLoader.Parts parts = ConfigLoader.loadParts(file, Map.of(), TrainArgs.class);
        assertThat(parts.locate(new UserInputException("max_steps: too many for this data")))
                .hasMessage(file + ":3: max_steps: too many for this data");
        UserInputException elsewhere = new UserInputException("data.jsonl:4: output: missing");
        assertThat(parts.locate(elsewhere)).isSameAs(elsewhere);
        assertThat(ConfigLoader.locate(file, Map.of("max_steps", "9"), new UserInputException("max_steps: no")))
                .hasMessage("--set: max_steps: no");
    }

    @Test
    void nestedKeysOverridesAndErrors() throws IOException {
        Path file = write("n.yaml", "name: x\nmodel:\n  d_model: 16\n  n_layers: 2\ntags: [a, b]\n");
        Nested n = ConfigLoader.load(file, overrides("model.d_model", "32", "tags", "[c]"), Nested.class);
        assertThat(n.model().dModel()).isEqualTo(32);
        assertThat(n.model().nLayers()).isEqualTo(2);
        assertThat(n.tags()).isEqualTo(List.of("c"));

        Path typo = write("typo.yaml", "name: x\nmodel:\n  d_model: 16\n  n_layayers: 2\n");
        assertThatThrownBy(() -> ConfigLoader.load(typo, Map.of(), Nested.class))
                .hasMessageStartingWith(typo + ":4: model.n_layayers: unknown key (did you mean n_layers?)");
        Path type = write("type.yaml", "model:\n  d_model: wide\n");
        assertThatThrownBy(() -> ConfigLoader.load(type, Map.of(), Nested.class))
                .hasMessage(type + ":2: model.d_model: cannot read \"wide\" as a whole number");
    }

    @Test
    void duplicateKeysMissingFilesAndNonMapsAreUserErrors() throws IOException {
        Path dup = write("dup.yaml", "max_steps: 1\nmax_steps: 2\n");
        assertThatThrownBy(() -> ConfigLoader.load(dup, Map.of(), TrainArgs.class))
                .hasMessage(dup + ":2: max_steps: key appears twice (first on line 1)");
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), TrainArgs.class))
                .isInstanceOf(UserInputException.class).hasMessageContaining("nope.yaml");
        Path list = write("list.yaml", "- a\n- b\n");
        assertThatThrownBy(() -> ConfigLoader.load(list, Map.of(), TrainArgs.class))
                .isInstanceOf(UserInputException.class).hasMessageContaining("must be a map");
    }

    @Test
    void splitPartitionsOneFlatMapAcrossTwoRecords() throws IOException {
        Path file = write("dpo.yaml", "learning_rate: 0.1\nmax_steps: 10\nbeta: 0.2\nloss_type: SIGMOID\nseed: 7\n");
        Pair<TrainArgs, MethodArgs> p = ConfigLoader.loadSplit(file, overrides("beta", "0.3"),
                TrainArgs.class, MethodArgs.class);
        assertThat(p.first()).isEqualTo(new TrainArgs(0.1, 10, null, 7));
        assertThat(p.second()).isEqualTo(new MethodArgs(0.3, LossType.SIGMOID, 7)); // seed goes to both
    }

    @Test
    void splitRejectsKeysOfNeitherRecord() throws IOException {
        Path file = write("dpo.yaml", "learning_rate: 0.1\nbetta: 0.2\n");
        assertThatThrownBy(() -> ConfigLoader.loadSplit(file, Map.of(), TrainArgs.class, MethodArgs.class))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file + ":2: betta: unknown key (did you mean beta?)")
                .hasMessageContaining("valid keys: beta, learning_rate, loss_type, max_steps, output_dir, seed");
    }

    @Test
    void partsPartitionAcrossThreeRecordsAndRejectKeysOfNone() throws IOException {
        Path file = write("sft.yaml", "learning_rate: 0.1\nbeta: 0.2\nname: x\nseed: 4\n");
        ConfigLoader.Parts parts = ConfigLoader.loadParts(file, Map.of(), TrainArgs.class,
                MethodArgs.class, Named.class);
        assertThat(parts.get(TrainArgs.class).seed()).isEqualTo(4);
        assertThat(parts.get(MethodArgs.class).beta()).isEqualTo(0.2);
        assertThat(parts.get(Named.class).name()).isEqualTo("x");
        Path bad = write("bad.yaml", "learning_rate: 0.1\nnom: x\n");
        assertThatThrownBy(() -> ConfigLoader.loadParts(bad, Map.of(), TrainArgs.class,
                MethodArgs.class, Named.class))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(bad + ":2: nom: unknown key");
    }

    record Named(@com.fasterxml.jackson.annotation.JsonProperty("name") String name) {}

    @Test
    void resolvedConfigRoundTripsThroughJson() {
        TrainArgs a = new TrainArgs(0.25, 9, Path.of("runs/x"), 1);
        MethodArgs b = new MethodArgs(0.1, LossType.HINGE, 1);
        Path out = dir.resolve("run/config.json");
        ConfigLoader.writeJson(out, a, b);
        assertThat(ConfigLoader.toJson(a, b)).contains("\"output_dir\" : \"runs/x\"", "\"loss_type\" : \"HINGE\"");
        Pair<TrainArgs, MethodArgs> back = ConfigLoader.loadSplit(out, Map.of(), TrainArgs.class, MethodArgs.class);
        assertThat(back).isEqualTo(new Pair<>(a, b));
    }

    @Test
    void keysAreTheJsonPropertyNames() {
        assertThat(ConfigLoader.keys(TrainArgs.class))
                .containsExactly("learning_rate", "max_steps", "output_dir", "seed");
    }

    @Test
    void closestKeyNeedsToBeClose() {
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.closest("lr", List.of("learning_rate", "seed"))).isNull();
        assertThat(DidYouMean.closest("max_step", List.of("max_steps", "seed"))).isEqualTo("max_steps");
    }

    @Test
    void recordWithDefaultsKeepsThemForMissingKeys() throws IOException {
        Path file = write("sft.yaml", "learning_rate: 2.0e-3\noutput_dir: runs/s\n");
        ConfigLoader.Parts parts = ConfigLoader.loadParts(file, overrides("max_steps", "7"),
                dev.align4j.core.train.TrainingArgs.class, Named.class);
        dev.align4j.core.train.TrainingArgs a = parts.get(dev.align4j.core.train.TrainingArgs.class);
        dev.align4j.core.train.TrainingArgs d = dev.align4j.core.train.TrainingArgs.defaults();
        assertThat(a.learningRate()).isEqualTo(2e-3);
        assertThat(a.maxSteps()).isEqualTo(7);
        assertThat(a.outputDir()).isEqualTo("runs/s");
        assertThat(a.perDeviceTrainBatchSize()).isEqualTo(d.perDeviceTrainBatchSize());
        assertThat(a.adamBeta2()).isEqualTo(d.adamBeta2());
        assertThat(a.resumeFromCheckpoint()).isNull();
    }
}
