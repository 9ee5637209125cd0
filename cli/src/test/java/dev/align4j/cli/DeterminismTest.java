package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.io.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Same inputs, same bytes, across JVMs: for each model layout the whole chain (pretrain, LoRA SFT,
 * reward model, DPO, PPO, generation) runs in two child JVMs at once, each under a GC-stress
 * thread and with a different {@code MALLOC_PERTURB_}, and every weight file, sample file and
 * generation output must be byte-identical. Reads of memory that was never written or already
 * freed change with the perturb byte and the collector's timing (see docs/DESIGN.md, traps).
 */
class DeterminismTest {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void fixtures() throws IOException {
        String[] good = {"great", "lovely", "superb", "moving", "fun", "bright"};
        String[] bad = {"awful", "dull", "weak", "boring", "flat", "bad"};
        StringBuilder pairs = new StringBuilder();
        StringBuilder sft = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            pairs.append("{\"prompt\": \"the film ").append(i).append("\", \"chosen\": \" was ")
                    .append(good[i % 6]).append(" .\", \"rejected\": \" was ").append(bad[i % 6]).append(" .\"}\n");
            sft.append("{\"instruction\": \"review ").append(i).append("\", \"output\": \"it was ")
                    .append(good[i % 6]).append(" and ").append(bad[(i + 1) % 6]).append(" .\"}\n");
        }
        Files.writeString(tmp.resolve("pairs.jsonl"), pairs);
        Files.writeString(tmp.resolve("sft.jsonl"), sft);
        StringBuilder prompts = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            prompts.append("{\"prompt\": \"the plot ").append(i).append("\"}\n");
        }
        Files.writeString(tmp.resolve("prompts.jsonl"), prompts);
        String common = "per_device_train_batch_size: 4\nlearning_rate: 0.001\nlogging_steps: 1\n"
                + "save_steps: 2\ndevice: cpu\n";
        Files.writeString(tmp.resolve("sft.yaml"), common + "template: plain\ncutoff_len: 32\n"
                + "val_set_size: 4\nmethod: lora\nlora_r: 4\nnum_samples: 2\nsample_max_new_tokens: 4\n");
        Files.writeString(tmp.resolve("rm.yaml"), common + "max_length: 32\nmax_prompt_length: 16\n"
                + "val_set_size: 4\n");
        Files.writeString(tmp.resolve("dpo.yaml"), common + "max_length: 32\nval_set_size: 4\n"
                + "sample_n: 2\nmax_new_tokens: 4\n");
        Files.writeString(tmp.resolve("ppo.yaml"), "rollout_batch_size: 4\nmini_batch_size: 2\n"
                + "ppo_epochs: 1\nmax_new_tokens: 6\nsample_n: 2\nper_device_train_batch_size: 2\n"
                + "learning_rate: 0.001\nsave_steps: 1\ndevice: cpu\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-llama"})
    void everyStageGivesTheSameBytesInTwoJvms(String layout) throws Exception {
        Path a = tmp.resolve(layout + "-a");
        Path b = tmp.resolve(layout + "-b");
        Process pa = start(a, layout, 85);
        Process pb = start(b, layout, 170);
        finish(pa, a);
        finish(pb, b);

        Map<String, String> ha = hashes(a);
        Map<String, String> hb = hashes(b);
        assertThat(ha).containsKeys("pre/model/model.safetensors", "sft/adapter/adapter_model.safetensors",
                "rm/model/value_head.safetensors", "dpo/samples.jsonl", "ppo/model/model.safetensors",
                "ppo/samples.jsonl", "gen.jsonl");
        assertThat(ha.get("ppo/model/model.safetensors")).as("PPO changed the policy")
                .isNotEqualTo(ha.get("pre/model/model.safetensors"));
        assertThat(ha.get("dpo/model/model.safetensors")).as("DPO changed the policy")
                .isNotEqualTo(ha.get("pre/model/model.safetensors"));
        try (Stream<Path> files = Files.list(a.resolve("ppo"))) {
            assertThat(files.map(f -> f.getFileName().toString())).as("TensorBoard events in the run folder")
                    .anyMatch(n -> n.startsWith("events.out.tfevents."));
        }
        List<String> differ = new ArrayList<>();
        ha.forEach((k, v) -> {
            if (!v.equals(hb.get(k))) {
                differ.add(k);
            }
        });
        assertThat(differ).as("files that differ between the two JVMs (%s)", layout).isEmpty();
        assertThat(hb.keySet()).isEqualTo(ha.keySet());
    }

    private static Process start(Path run, String layout, int perturb) throws IOException {
        Files.createDirectories(run);
        String t = "\t";
        List<String> script = List.of(
                String.join(t, "pretrain", "--text", "builtin:quickstart", "--model-config", layout,
                        "--max-steps", "4", "--seq-len", "32", "--batch-size", "4", "--set",
                        "gradient_accumulation_steps=2", "--set", "eval_steps=0", "--set", "save_steps=2",
                        "--output-dir", run.resolve("pre").toString()),
                String.join(t, "sft", "--config", tmp.resolve("sft.yaml").toString(), "--model",
                        run.resolve("pre/model").toString(), "--data", tmp.resolve("sft.jsonl").toString(),
                        "--max-steps", "3", "--output-dir", run.resolve("sft").toString()),
                String.join(t, "reward", "train", "--config", tmp.resolve("rm.yaml").toString(), "--model",
                        run.resolve("pre/model").toString(), "--data", tmp.resolve("pairs.jsonl").toString(),
                        "--max-steps", "3", "--output-dir", run.resolve("rm").toString()),
                String.join(t, "dpo", "--config", tmp.resolve("dpo.yaml").toString(), "--model",
                        run.resolve("pre/model").toString(), "--data", tmp.resolve("pairs.jsonl").toString(),
                        "--max-steps", "3", "--output-dir", run.resolve("dpo").toString()),
                String.join(t, "ppo", "--config", tmp.resolve("ppo.yaml").toString(), "--policy",
                        run.resolve("pre/model").toString(), "--reward", run.resolve("rm/model").toString(),
                        "--prompts", tmp.resolve("prompts.jsonl").toString(), "--iterations", "2",
                        "--output-dir", run.resolve("ppo").toString()),
                String.join(t, "generate", "--model", run.resolve("ppo/model").toString(), "--prompts",
                        tmp.resolve("prompts.jsonl").toString(), "--max-new-tokens", "8", "--out",
                        run.resolve("gen.jsonl").toString()));
        Path file = Files.write(run.resolve("script.tsv"), script);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), DeterminismChild.class.getName(), file.toString());
        pb.environment().put("MALLOC_PERTURB_", Integer.toString(perturb));
        pb.redirectErrorStream(true).redirectOutput(run.resolve("child.log").toFile());
        return pb.start();
    }

    private static void finish(Process p, Path run) throws Exception {
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly();
        }
        String log = Files.readString(run.resolve("child.log"));
        assertThat(done && p.exitValue() == 0).as("child in %s failed:%n%s", run,
                log.substring(Math.max(0, log.length() - 4000))).isTrue();
    }

    /** SHA-256 of every weight file, sample file and generation output under {@code run}, by relative path. */
    private static Map<String, String> hashes(Path run) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".safetensors") || name.equals("samples.jsonl") || name.equals("gen.jsonl")) {
                    out.put(run.relativize(f).toString(), Hashing.sha256(f));
                } else if (name.equals("ref_logps.jsonl")) {
                    // the header line holds a cache key made from the run's own paths: compare the values
                    List<String> lines = Files.readAllLines(f);
                    out.put(run.relativize(f).toString(), Hashing.sha256(String.join("\n", lines.subList(1, lines.size()))));
                }
            }
        }
        return out;
    }
}
