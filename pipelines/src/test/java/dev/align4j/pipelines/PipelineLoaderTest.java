package dev.align4j.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoaderTest {

    @TempDir
    Path dir;

    @Test
    void resolvesReferencesAndInheritsDefaultsOnlyWhereTheKindTakesThem() throws IOException {
        Path file = TestPipelines.copy("two-sft.yaml", dir);
        Path out = dir.resolve("out");
        Pipeline p = PipelineLoader.load(file, out, Map.of("more.max_steps", "6"));

        assertThat(p.name()).isEqualTo("two-sft");
        assertThat(p.stages()).extracting(PlannedStage::name).containsExactly("synth", "sft", "more", "eval");
        PlannedStage more = p.stage("more").orElseThrow();
        assertThat(more.kind()).isEqualTo(StageKind.SFT);
        assertThat(more.config().get("model").asText()).isEqualTo(out.resolve("sft/model").toString());
        assertThat(more.config().get("data").get(0).asText()).isEqualTo(out.resolve("synth/sft.jsonl").toString());
        assertThat(more.config().get("seed").asInt()).isEqualTo(7);   // from defaults
        assertThat(more.config().get("max_steps").asText()).isEqualTo("6"); // --set wins over the file
        assertThat(more.dependsOn()).containsExactly("sft", "synth");
        // synth takes seed but not learning_rate
        PlannedStage synth = p.stage("synth").orElseThrow();
        assertThat(synth.config().has("seed")).isTrue();
        assertThat(synth.config().has("learning_rate")).isFalse();
        assertThat(out).doesNotExist(); // validation writes nothing
    }

    @Test
    void reportsEveryProblemWithItsLineAndWritesNothing() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, String.join("\n",
                "name: bad",                               // 1
                "defaults:",                               // 2
                "  colour: blue",                          // 3
                "stages:",                                 // 4
                "  - name: synth",                         // 5
                "    kind: synth",                         // 6
                "    config: {n: lots}",                   // 7
                "  - name: x",                             // 8
                "    kind: sfft",                          // 9
                "  - name: sft",                           // 10
                "    kind: sft",                           // 11
                "    config:",                             // 12
                "      data: [\"${synth.sft}\", missing.jsonl]", // 13
                "      max_stepz: 8",                      // 14
                "      model: ${ppo.model}",               // 15
                "      output_dir: elsewhere",             // 16
                "  - name: ppo",                           // 17
                "    kind: ppo",                           // 18
                "    config:",                             // 19
                "      policy: ${sft.modle}",              // 20
                "      reward_model: ${nothere.model}",    // 21
                "      learning_rate: fast",               // 22
                ""));
        Path out = dir.resolve("out");
        assertThatThrownBy(() -> PipelineLoader.load(file, out, Map.of("ppo.kl_coef", "big")))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(file + ":3: defaults.colour: no stage of this pipeline takes this key")
                .hasMessageContaining(file + ":7: synth.n: cannot read \"lots\" as a whole number")
                .hasMessageContaining(file + ":9: stages.1.kind: unknown kind 'sfft'")
                .hasMessageContaining(file + ":13: sft.data: missing.jsonl: no such file or folder")
                .hasMessageContaining(file + ":14: sft.max_stepz: unknown key for a sft stage (did you mean max_steps?)")
                .hasMessageContaining(file + ":15: sft.model: ${ppo.model}: stage 'ppo' does not run before 'sft'")
                .hasMessageContaining(file + ":16: sft.output_dir: set by the pipeline")
                .hasMessageContaining(file + ":20: ppo.policy: ${sft.modle}: a sft stage has no output 'modle'")
                .hasMessageContaining(file + ":21: ppo.reward_model: ${nothere.model}: no stage named 'nothere'")
                .hasMessageContaining("--set: ppo.kl_coef: cannot read \"big\" as a number");
        assertThat(out).doesNotExist();
    }

    @Test
    void structuralMistakes() throws IOException {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: 3x\nstagez: []\nstages:\n  - name: a\n    kind: synth\n  - name: a\n    kind: synth\n"
                + "    knd: x\n");
        assertThatThrownBy(() -> PipelineLoader.load(file, null, Map.of("nope.n", "1")))
                .hasMessageContaining(file + ":1: name: must be a word")
                .hasMessageContaining(file + ":2: stagez: unknown key")
                .hasMessageContaining(file + ":6: stages.1.name: two stages are named 'a'")
                .hasMessageContaining(file + ":8: knd: unknown key")
                .hasMessageContaining("--set: nope.n: want STAGE.KEY=VALUE");
    }

    @Test
    void aFileThatDoesNotParseNamesItsLine() throws IOException {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "name: x\nstages:\n  - name: [unclosed\n");
        assertThatThrownBy(() -> PipelineLoader.load(file, null, Map.of()))
                .isInstanceOf(UserInputException.class).hasMessageStartingWith(file + ":");
    }
}
