package dev.align4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.hf.HfConfig;
import dev.align4j.core.hf.HfModelIO;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.Architecture;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.tokenizer.HfTokenizerFiles;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j export}: a model (with its adapter merged) as a self-contained folder, by default
 * in the Hugging Face layout: {@code config.json}, {@code generation_config.json},
 * {@code model.safetensors}, the tokenizer files ({@code tokenizer.json}, {@code tokenizer_config.json}
 * with the chat template, {@code special_tokens_map.json}, {@code chat_template.jinja}), align4j's
 * {@code align4j_chat_template.json}, the source's {@code provenance.json} and a model card
 * {@code README.md}. Written to a temp folder beside {@code --out} and renamed into place.
 */
@Command(name = "export", description = "Write a model (adapter merged) in the Hugging Face or align4j layout.")
final class ExportCommand implements Callable<Integer> {

    /** Stored weight type. */
    enum Dtype {
        FP32(DataType.FLOAT32, "float32"),
        FP16(DataType.FLOAT16, "float16");

        final DataType type;
        final String torchName;

        Dtype(DataType type, String torchName) {
            this.type = type;
            this.torchName = torchName;
        }
    }

    /** Folder layout. */
    enum Format { HF, ALIGN4J }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (replaced if it holds a model)")
    Path out;

    @Option(names = "--dtype", defaultValue = "fp32", description = "fp32 or fp16 (default: ${DEFAULT-VALUE})")
    Dtype dtype;

    @Option(names = "--format", defaultValue = "hf", description = "hf or align4j (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() throws IOException {
        model.check();
        Path target = out.toAbsolutePath().normalize();
        checkTarget(target);
        ModelConfig cfg = ModelFolder.readConfig(model.model);
        if (format == Format.HF) {
            HfConfig.toJson(cfg, dtype.torchName, null); // refuses what transformers cannot load, before any work
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (ModelBundle bundle = model.load()) {
            AtomicFiles.deleteTree(tmp);
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
                CausalLM plain = Lora.adapters(bundle.model()).isEmpty() ? bundle.model() : LoraExport.plainCopy(bundle.model(), cpu);
                write(plain, bundle, tmp);
            }
            AtomicFiles.replaceDir(tmp, target);
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "exported %s to %s (%s layout, %s)%n", model.describe(), out,
                format.name().toLowerCase(Locale.ROOT), dtype.torchName);
        pw.flush();
        return 0;
    }

    /** Refuses to overwrite the source, a file, or a folder that holds something other than a model. */
    private void checkTarget(Path target) throws IOException {
        for (Path src : new Path[] {model.model, model.adapter}) {
            if (src != null && src.toAbsolutePath().normalize().equals(target)) {
                throw new UserInputException("--out " + out + ": is the source folder; export to a new folder");
            }
        }
        if (Files.isRegularFile(target)) {
            throw new UserInputException("--out " + out + ": is a file");
        }
        if (Files.isDirectory(target) && !isModelFolder(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new UserInputException("--out " + out + ": exists and is not a model folder;"
                            + " remove it or choose another");
                }
            }
        }
    }

    private static boolean isModelFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(ModelFolder.CONFIG)) || Files.isRegularFile(dir.resolve(HfConfig.FILE));
    }

    private void write(CausalLM plain, ModelBundle bundle, Path dir) throws IOException {
        Tokenizer tok = bundle.tokenizer();
        if (format == Format.HF) {
            Map<String, Object> ids = new LinkedHashMap<>();
            ids.put("bos_token_id", tok.bosId());
            ids.put("eos_token_id", tok.eosId());
            if (tok.padId() != tok.eosId()) {
                ids.put("pad_token_id", tok.padId()); // a pad equal to eos would mask the real EOS in training
            }
            HfModelIO.save(plain, dir, dtype.type, ids);
            tok.save(dir); // tokenizer.json, tokenizer_config.json, special_tokens_map.json (+ our marker)
            bundle.writeHfChatTemplate(dir);
            HfTokenizerFiles.writeGenerationConfig(dir, tok);
        } else {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "pt");
            meta.put("align4j_template", bundle.template().name());
            ModelFolder.save(plain, dir, dtype.type, tok, meta);
            bundle.writeHfChatTemplate(dir.resolve(ModelFolder.TOKENIZER_DIR));
        }
        AtomicFiles.writeString(dir.resolve(ModelFolder.CHAT_TEMPLATE), bundle.template().toJson());
        Path provenance = model.model.resolve(ModelBundle.PROVENANCE);
        JsonNode prov = null;
        if (Files.isRegularFile(provenance)) {
            prov = Json.mapper().readTree(provenance.toFile());
            // through AtomicFiles, not Files.copy, which would keep an older source's 0600 mode
            AtomicFiles.write(dir.resolve(ModelBundle.PROVENANCE), Files.readAllBytes(provenance));
        }
        AtomicFiles.writeString(dir.resolve("README.md"), card(plain.config(), Peft.parameterCount(plain), bundle, prov));
    }

    /** The model card: what the model is, how it was made (provenance.json) and how to load it. */
    private String card(ModelConfig cfg, long params, ModelBundle bundle, JsonNode provenance) {
        StringBuilder sb = new StringBuilder();
        String name = out.toAbsolutePath().normalize().getFileName().toString();
        sb.append("# ").append(name).append("\n\n");
        sb.append("A ").append(cfg.architecture().name().toLowerCase(Locale.ROOT))
                .append(" causal language model exported by align4j from `").append(model.model).append('`');
        if (model.adapter != null) {
            sb.append(" with the LoRA adapter `").append(model.adapter).append("` merged into its weights");
        }
        sb.append(".\n\n| | |\n| --- | --- |\n");
        row(sb, "architecture", format == Format.HF
                ? (cfg.architecture() == Architecture.GPT2 ? "GPT2LMHeadModel" : "LlamaForCausalLM")
                : cfg.architecture().name().toLowerCase(Locale.ROOT));
        row(sb, "parameters", String.format(Locale.ROOT, "%,d", params));
        row(sb, "d_model / layers / heads (kv)", cfg.dModel() + " / " + cfg.nLayers() + " / " + cfg.nHeads()
                + " (" + cfg.nKvHeads() + ")");
        row(sb, "ffn hidden", String.valueOf(cfg.ffnHidden()));
        row(sb, "vocabulary / context", cfg.vocabSize() + " / " + cfg.contextLength());
        row(sb, "tied embeddings", String.valueOf(cfg.tieWordEmbeddings()));
        row(sb, "weights", dtype.torchName);
        row(sb, "tokenizer", bundle.tokenizer().getClass().getSimpleName() + ", " + bundle.tokenizer().vocabSize()
                + " ids (bos " + bundle.tokenizer().bosId() + ", eos " + bundle.tokenizer().eosId() + ")");
        row(sb, "chat template", bundle.template().name() + " (Jinja in `" + HfTokenizerFiles.TOKENIZER_CONFIG + "` and `"
                + HfTokenizerFiles.CHAT_TEMPLATE_JINJA + "`; align4j's form in `" + ModelFolder.CHAT_TEMPLATE + "`)");
        if (provenance == null) {
            sb.append("\nNo provenance.json in the source folder: how this model was trained is not recorded.\n");
        } else {
            sb.append("\n## How it was made\n\nFrom the source folder's `provenance.json` (copied here).\n");
            provenance.fields().forEachRemaining(e -> sb.append("\n### ").append(e.getKey()).append("\n\n```json\n")
                    .append(Json.pretty(e.getValue()).strip()).append("\n```\n"));
        }
        sb.append("\n## Use\n\n```bash\nalign4j generate --model ").append(name).append(" --prompt \"Hello\"\n```\n");
        if (format == Format.HF) {
            sb.append("\n```python\nfrom transformers import AutoModelForCausalLM\n")
                    .append("model = AutoModelForCausalLM.from_pretrained(\"").append(name).append("\")\n```\n");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }
}
