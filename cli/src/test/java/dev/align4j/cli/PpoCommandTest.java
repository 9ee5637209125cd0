package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PpoCommandTest {

    @TempDir
    static Path tmp;
    static Path sft;
    static Path rm;
    static Path prompts;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void fixtures() throws IOException {
        ByteTokenizer tok = new ByteTokenizer();
        sft = tmp.resolve("sft");
        try (ModelBundle b = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 32, 16, 1, 2), tok, Templates.PLAIN,
                Device.cpu(), 1)) {
            b.save(sft, null);
        }
        rm = tmp.resolve("rm");
        try (RewardBundle b = RewardBundle.create(ModelBundle.load(sft, Device.cpu(), null),
                new PreferenceEncoder.Config(32, 16))) {
            Random r = new Random(2);
            for (Parameter p : b.headParameters().values()) {
                float[] v = new float[(int) p.getArray().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                p.getArray().set(v);
            }
            b.setStats(new RewardStats(0, 1, 0, "test"));
            b.save(rm, Map.of("max_length", 32, "max_prompt_length", 16), Map.of());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append("{\"prompt\": \"p").append(i).append(" q\"}\n");
        }
        prompts = Files.writeString(tmp.resolve("prompts.jsonl"), sb.toString());
    }

    private int run(String... args) {
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path yaml(String name, String extra) throws IOException {
        return Files.writeString(tmp.resolve(name), """
                rollout_batch_size: 4
                mini_batch_size: 2
                ppo_epochs: 1
                max_new_tokens: 4
                num_iterations: 5
                sample_n: 2
                per_device_train_batch_size: 2
                learning_rate: 0.001
                device: cpu
                """ + extra);
    }

    @Test
    void trainsFromAConfigWithFlagsOverridingIt() throws IOException {
        Path run = tmp.resolve("run");
        int code = run("ppo", "--config", yaml("ppo.yaml", "output_dir: elsewhere\n").toString(), "--policy",
                sft.toString(), "--reward", rm.toString(), "--prompts", prompts.toString(), "--output-dir",
                run.toString(), "--iterations", "2", "--set", "kl_coef=0.2");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ppo: 2 iterations", "model: " + run.resolve("model"));
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
        assertThat(Files.readString(run.resolve("config.json"))).contains("\"kl_coef\" : 0.2");
        assertThat(run.resolve("model/provenance.json")).exists();
        assertThat(run.resolve("samples.jsonl")).exists();
        assertThat(run.resolve("run.log")).exists();
        assertThat(tmp.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void badConfigExitsTwoAndWritesNothing() throws IOException {
        Path run = tmp.resolve("bad-run");
        Path cfg = yaml("bad.yaml", "policy: " + sft + "\nreward_model: " + rm + "\nprompts: " + prompts
                + "\nmini_batch_size: 9\n");
        // the value under test replaces the base config's mini_batch_size (a key given twice is its own error)
        Files.writeString(cfg, Files.readString(cfg).replace("mini_batch_size: 2\n", ""));
        assertThat(run("ppo", "--config", cfg.toString(), "--output-dir", run.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.yaml", "mini_batch_size", "9");
        assertThat(run).doesNotExist();

        Path unknown = yaml("unknown.yaml", "cliprang: 0.1\n");
        assertThat(run("ppo", "--config", unknown.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cliprang");

        assertThat(run("ppo", "--config", yaml("plain.yaml", "").toString(), "--policy", sft.toString(),
                "--reward", sft.toString(), "--prompts", prompts.toString(), "--output-dir", run.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("not a reward model folder");
        assertThat(run).doesNotExist();
    }
}
