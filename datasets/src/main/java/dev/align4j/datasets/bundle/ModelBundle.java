package dev.align4j.datasets.bundle;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.tokenizer.HfTokenizer;
import dev.align4j.core.tokenizer.HfTokenizerFiles;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.tokenizer.Tokenizers;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.template.Templates;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A language model with everything needed to use it: weights, tokenizer and the chat template it
 * was trained with. Every method starts from one and saves one, so generation and later stages
 * render prompts exactly as training did.
 *
 * <p>On disk (align4j layout): {@code align4j_model.json}, {@code model.safetensors},
 * {@code tokenizer/} (with the Hugging Face tokenizer files, the chat template as Jinja included),
 * {@code align4j_chat_template.json} and, for trained models, {@code provenance.json} (config, seed,
 * data hash, metrics of the run that made it). Older folders with the template in
 * {@code chat_template.json} load too, and so does a Hugging Face folder; its template defaults to
 * {@code plain} unless a template is given.
 *
 * <p>The bundle owns its {@link NDManager}: close the bundle to free the weights.
 */
public final class ModelBundle implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(ModelBundle.class);

    /** Written beside the weights: what made this model. */
    public static final String PROVENANCE = "provenance.json";

    private final CausalLM model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final NDManager manager;
    private final Path source;

    private ModelBundle(CausalLM model, Tokenizer tokenizer, ChatTemplate template,
            NDManager manager, Path source) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = template;
        this.manager = manager;
        this.source = source;
    }

    /**
     * Loads a model folder (either layout) onto {@code device}.
     *
     * @param templateOverride a template name or file, or null for the folder's own (else plain)
     */
    public static ModelBundle load(Path dir, Device device, String templateOverride) {
        ModelFolder.detect(dir);
        Tokenizer tok = Tokenizers.load(ModelFolder.tokenizerDir(dir));
        ModelFolder.checkVocab(ModelFolder.readConfig(dir), tok, dir);
        ChatTemplate template = templateOverride != null ? Templates.resolve(templateOverride)
                : readTemplate(dir);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            CausalLM model = ModelFolder.load(dir, manager);
            return new ModelBundle(model, tok, template, manager, dir);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A freshly initialised model of shape {@code config} for {@code tokenizer} (pretraining). */
    public static ModelBundle create(ModelConfig config, Tokenizer tokenizer, ChatTemplate template,
            Device device, long seed) {
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new UserInputException("tokenizer has " + tokenizer.vocabSize()
                    + " ids but the model config's vocab_size is " + config.vocabSize());
        }
        NDManager manager = NDManager.newBaseManager(device);
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM model = new CausalLM(config);
        model.initialize(manager, DataType.FLOAT32);
        return new ModelBundle(model, tokenizer, template, manager, null);
    }

    /**
     * Resolves {@code tiny|small|tiny-llama|small-llama} or a JSON/YAML file of {@link ModelConfig}
     * fields; a preset's vocab_size is the tokenizer's.
     */
    public static ModelConfig resolveConfig(String spec, Tokenizer tokenizer) {
        Path file = Path.of(spec);
        if (Files.isRegularFile(file)) {
            return Json.read(file, ModelConfig.class);
        }
        if (spec.endsWith(".json") || spec.endsWith(".yaml") || spec.endsWith(".yml")) {
            throw new UserInputException(spec + ": model config file not found");
        }
        try {
            return ModelConfig.preset(spec, tokenizer.vocabSize());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        }
    }

    /**
     * Puts the LoRA/QLoRA adapter in {@code adapterDir} on this model (refused when it was trained on
     * another base), optionally merging it into the weights.
     */
    public void applyAdapter(Path adapterDir, boolean merge) {
        String hash = Adapters.baseModelHash(model);
        try {
            Adapters.load(adapterDir, model, hash);
        } catch (IOException e) {
            throw new UserInputException(adapterDir + ": cannot read adapter: " + e.getMessage(), e);
        }
        if (merge) {
            Lora.merge(model);
        }
        LOG.info("applied adapter {}{}", adapterDir, merge ? " (merged)" : "");
    }

    /**
     * Saves weights, tokenizer, template and provenance into {@code dir} atomically: everything is
     * written to a sibling temp folder which then replaces {@code dir}.
     */
    public void save(Path dir, Map<String, ?> provenance) {
        Path abs = dir.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        AtomicFiles.deleteTree(tmp);
        writeTo(tmp, provenance);
        AtomicFiles.replaceDir(tmp, abs);
    }

    /**
     * Saves this model as a run's final model folder {@code dir}, then hands {@code afterSave} the
     * bundle whose weights are in {@code dir} (for samples.jsonl). With {@code mergeAdapters} (a
     * LoRA/QLoRA run) the merged weights go into a plain model of the same shape on this bundle's
     * device ({@link LoraExport#copyMerged}; {@code seed} initialises it before the copy), so the folder
     * holds no adapter tensors and loads like any model; this bundle keeps its adapters.
     */
    public void saveFinal(Path dir, boolean mergeAdapters, Map<String, ?> provenance, long seed,
            Consumer<ModelBundle> afterSave) {
        if (!mergeAdapters) {
            save(dir, provenance);
            afterSave.accept(this);
            return;
        }
        try (ModelBundle plain = create(config(), tokenizer, template, manager.getDevice(), seed)) {
            LoraExport.copyMerged(model, plain.model());
            plain.save(dir, provenance);
            afterSave.accept(plain);
        }
    }

    /** Writes the bundle's files into an existing or new folder (no atomic swap: callers do it). */
    public void writeTo(Path dir, Map<String, ?> provenance) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("align4j_template", template.name());
        ModelFolder.save(model, dir, DataType.FLOAT32, tokenizer, meta);
        AtomicFiles.writeString(dir.resolve(ModelFolder.CHAT_TEMPLATE), template.toJson());
        writeHfChatTemplate(dir.resolve(ModelFolder.TOKENIZER_DIR));
        if (provenance != null) {
            Json.write(dir.resolve(PROVENANCE), provenance);
        }
    }

    /**
     * Writes the template where transformers looks for it ({@code chat_template} in
     * {@code tokenizer_config.json}, and {@code chat_template.jinja}) in {@code tokenizerDir}, which
     * already holds the saved tokenizer. An imported Hugging Face tokenizer's own template is kept
     * while this bundle uses the default {@code plain} one.
     */
    public void writeHfChatTemplate(Path tokenizerDir) {
        boolean keepImported = tokenizer instanceof HfTokenizer && template.equals(Templates.PLAIN);
        HfTokenizerFiles.writeChatTemplate(tokenizerDir, template.toJinja(), keepImported);
    }

    /** The folder's align4j template, else one in the older file name and our schema, else plain. */
    private static ChatTemplate readTemplate(Path dir) {
        Path file = dir.resolve(ModelFolder.CHAT_TEMPLATE);
        Path legacy = dir.resolve(ModelFolder.LEGACY_CHAT_TEMPLATE);
        try {
            if (Files.isRegularFile(file)) {
                return ChatTemplate.fromJson(Files.readString(file));
            }
            if (Files.isRegularFile(legacy)) {
                String text = Files.readString(legacy);
                // transformers' processor file of this name holds {"chat_template": "..."}: not ours
                if (Json.mapper().readTree(text).has("user")) {
                    return ChatTemplate.fromJson(text);
                }
                LOG.info("{}: not an align4j template; using plain", legacy);
            }
            return Templates.PLAIN;
        } catch (IOException e) {
            Path which = Files.isRegularFile(file) ? file : legacy;
            throw TextFiles.readError(which, e);
        }
    }

    public CausalLM model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    public NDManager manager() {
        return manager;
    }

    public ModelConfig config() {
        return model.config();
    }

    /** The folder this bundle was loaded from, or null for a fresh model. */
    public Path source() {
        return source;
    }

    @Override
    public void close() {
        if (tokenizer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing tokenizer", e);
            }
        }
        manager.close();
    }
}
