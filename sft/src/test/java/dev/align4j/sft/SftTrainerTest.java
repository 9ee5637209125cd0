package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.io.Json;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.run.PreparedRun;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;

import ai.djl.Device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SftTrainer end to end on a tiny byte-level model. */
class SftTrainerTest {

    @TempDir
    Path dir;

    private Path data(int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] words = {"red", "green", "blue", "cat", "dog"};
        for (int i = 0; i < n; i++) {
            sb.append(Json.line(Map.of("prompt", "name " + i + ":", "completion", " " + words[i % 5]))).append('\n');
        }
        Path f = dir.resolve("data.jsonl");
        Files.writeString(f, sb.toString());
        return f;
    }

    private Path modelConfig() throws IOException {
        Path f = dir.resolve("model.yaml");
        Files.writeString(f, "architecture: gpt2\ncontext_length: 48\nd_model: 16\nn_layers: 1\nn_heads: 2\n"
                + "ffn_hidden: 32\ntie_word_embeddings: true\nbias: true\n");
        return f;
    }

    private PreparedRun prepare(Path data, Path out, Map<String, String> extra) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("data", "[" + data + "]");
        o.put("model_config", modelConfig().toString());
        o.put("output_dir", out.toString());
        o.put("per_device_train_batch_size", "2");
        o.put("learning_rate", "0.01");
        o.put("lr_scheduler_type", "constant");
        o.put("device", "cpu");
        o.put("method", "full");
        o.put("cutoff_len", "32");
        o.put("val_set_size", "2");
        o.put("num_samples", "1");
        o.put("sample_max_new_tokens", "3");
        o.putAll(extra);
        ConfigLoader.Parts p = ConfigLoader.loadParts(null, o, TrainingArgs.class, PeftConfig.class, SftConfig.class);
        return SftTrainer.prepare(p.get(TrainingArgs.class), p.get(PeftConfig.class), p.get(SftConfig.class));
    }

    @Test
    void resumingMidEpochEqualsAnUninterruptedRun() throws IOException {
        Path data = data(14); // 12 train examples -> 6 batches per epoch; stop after 3
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (PreparedRun run = prepare(data, a, Map.of("max_steps", "6"))) {
            run.train();
        }
        try (PreparedRun run = prepare(data, b, Map.of("max_steps", "3"))) {
            run.train();
        }
        try (PreparedRun run = prepare(data, b, Map.of("max_steps", "6", "resume_from_checkpoint", "latest"))) {
            RunResult o = run.train();
            assertThat(o.steps()).isEqualTo(6);
        }
        byte[] straight = Files.readAllBytes(a.resolve("model/model.safetensors"));
        byte[] resumed = Files.readAllBytes(b.resolve("model/model.safetensors"));
        assertThat(resumed).isEqualTo(straight);
        for (String f : List.of("config.json", "run.json", "metrics.jsonl", "provenance.json", "samples.jsonl",
                "model/provenance.json", "model/align4j_chat_template.json", "model/tokenizer/tokenizer.json")) {
            assertThat(a.resolve(f)).as(f).isRegularFile();
        }
        Map<?, ?> prov = Json.read(a.resolve("provenance.json"), Map.class);
        assertThat(prov.get("seed")).isEqualTo(42);
        assertThat(((Map<?, ?>) prov.get("final_metrics")).keySet()).map(String::valueOf).contains("eval_loss", "eval_perplexity", "train_loss");
        assertThat(Files.readString(a.resolve("samples.jsonl"))).contains("\"prompt\"", "\"completion\"");
        try (ModelBundle back = ModelBundle.load(a.resolve("model"), Device.cpu(), null)) {
            assertThat(back.config().dModel()).isEqualTo(16);
        }
    }

    @Test
    void fp16MixedPrecisionTrainsLikeFp32ForFullLoraAndQlora() throws IOException {
        Path data = data(12);
        for (String method : List.of("full", "lora", "qlora")) {
            Map<String, String> common = new LinkedHashMap<>(Map.of("max_steps", "6", "method", method,
                    "lora_target_modules", "[all-linear]", "quant_block_size", "16"));
            double[] evalLoss = new double[2];
            for (int half = 0; half < 2; half++) {
                Path out = dir.resolve(method + "-" + half);
                Map<String, String> o = new LinkedHashMap<>(common);
                o.put("fp16", String.valueOf(half == 1));
                try (PreparedRun run = prepare(data, out, o)) {
                    run.train();
                }
                Map<?, ?> prov = Json.read(out.resolve("provenance.json"), Map.class);
                evalLoss[half] = ((Number) ((Map<?, ?>) prov.get("final_metrics")).get("eval_loss")).doubleValue();
                String metrics = Files.readString(out.resolve("metrics.jsonl"));
                assertThat(metrics.contains("\"loss_scale\"")).as(method + " fp16=" + (half == 1)).isEqualTo(half == 1);
                try (ModelBundle back = ModelBundle.load(out.resolve("model"), Device.cpu(), null)) {
                    back.model().namedParameters().values().forEach(p ->
                            assertThat(p.getArray().getDataType()).isEqualTo(ai.djl.ndarray.types.DataType.FLOAT32));
                }
            }
            // float16 products change the numbers a little, not the outcome
            assertThat(evalLoss[1]).as(method).isCloseTo(evalLoss[0], org.assertj.core.api.Assertions.within(0.05));
        }
    }

    @Test
    void loraRunSavesAdapterAndAMergedPlainModel() throws IOException {
        Path out = dir.resolve("lora");
        try (PreparedRun run = prepare(data(8), out, Map.of("max_steps", "2", "method", "lora",
                "lora_target_modules", "[all-linear]"))) {
            run.train();
        }
        assertThat(out.resolve("adapter/adapter_config.json")).isRegularFile();
        try (ModelBundle back = ModelBundle.load(out.resolve("model"), Device.cpu(), null)) {
            assertThat(back.model().namedParameters().keySet()).noneMatch(n -> n.contains("lora"));
        }
    }

    @Test
    void aBadRecordStopsTheRunBeforeAnythingIsWritten() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"a\", \"completion\": \"b\"}\n"
                + "{\"prompt\": \"a\", \"completion\": 3, \"completion\": [}\n");
        Path out = dir.resolve("never");
        assertThatThrownBy(() -> prepare(f, out, Map.of("max_steps", "1")))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(f + ":3");
        assertThat(out).doesNotExist();
    }
}
