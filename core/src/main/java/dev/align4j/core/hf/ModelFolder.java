package dev.align4j.core.hf;

import dev.align4j.core.io.Safetensors;
import dev.align4j.core.io.Json;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.model.Module;
import dev.align4j.core.tokenizer.Tokenizer;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model folder on disk, in align4j's layout or Hugging Face's.
 *
 * <pre>
 * align4j layout                     Hugging Face layout
 *   align4j_model.json (ModelConfig)   config.json
 *   model.safetensors (our names)      model.safetensors or model.safetensors.index.json + shards
 *   tokenizer/        (Tokenizer.save)  tokenizer.json, tokenizer_config.json, ...
 *   align4j_chat_template.json (optional; chat_template.json in folders written before it)
 * </pre>
 *
 * {@link #load} tells the two apart by the files present (align4j_model.json wins). Tokenizer and
 * chat template files are written by their own code; this class only says where they go.
 */
public final class ModelFolder {

    private static final Logger LOG = LogManager.getLogger(ModelFolder.class);

    public static final String CONFIG = "align4j_model.json";
    public static final String WEIGHTS = TensorStore.SINGLE;
    public static final String TOKENIZER_DIR = "tokenizer";
    /** align4j's own chat template (its JSON form); transformers gets a Jinja one in tokenizer_config.json. */
    public static final String CHAT_TEMPLATE = "align4j_chat_template.json";
    /**
     * Where folders written before {@link #CHAT_TEMPLATE} hold align4j's template; transformers reads
     * a file of this name as a processor's template of another schema, so it is only read, never written.
     */
    public static final String LEGACY_CHAT_TEMPLATE = "chat_template.json";

    /** Our config files are strict: an unknown key is an error (Jackson names it). */
    private static final ObjectMapper CONFIG_JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Which layout a folder uses. */
    public enum Layout {
        ALIGN4J,
        HUGGING_FACE
    }

    private ModelFolder() {}

    /** The layout of {@code dir}, or a {@link UserInputException} saying what is missing. */
    public static Layout detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException(dir + ": model folder not found");
        }
        if (Files.isRegularFile(dir.resolve(CONFIG))) {
            return Layout.ALIGN4J;
        }
        if (Files.isRegularFile(dir.resolve(HfConfig.FILE))) {
            return Layout.HUGGING_FACE;
        }
        throw new UserInputException(dir + ": not a model folder (expected " + CONFIG
                + " for an align4j model or " + HfConfig.FILE + " for a Hugging Face model)");
    }

    /** The model config of a folder of either layout. */
    public static ModelConfig readConfig(Path dir) {
        return detect(dir) == Layout.ALIGN4J
                ? readOwnConfig(dir.resolve(CONFIG))
                : HfConfig.read(dir.resolve(HfConfig.FILE));
    }

    /** Loads a float32 model from a folder of either layout onto {@code manager}. */
    public static CausalLM load(Path dir, NDManager manager) {
        if (detect(dir) == Layout.HUGGING_FACE) {
            return HfModelIO.load(dir, manager);
        }
        ModelConfig cfg = readOwnConfig(dir.resolve(CONFIG));
        CausalLM model = new CausalLM(cfg);
        model.initialize(manager, DataType.FLOAT32);
        loadWeights(model, TensorStore.open(dir));
        LOG.info("loaded {} model (d={}, layers={}, vocab={}) from {}", cfg.architecture(),
                cfg.dModel(), cfg.nLayers(), cfg.vocabSize(), dir);
        return model;
    }

    /** Where the tokenizer of a folder lives: {@code tokenizer/} for ours, the folder itself for HF. */
    public static Path tokenizerDir(Path dir) {
        return detect(dir) == Layout.ALIGN4J ? dir.resolve(TOKENIZER_DIR) : dir;
    }

    /**
     * Saves {@code model} in align4j's layout.
     *
     * @param dtype FLOAT32 or FLOAT16 for the stored weights
     * @param tokenizer saved to {@code tokenizer/} through {@link Tokenizer#save}, or null
     * @param metadata extra strings for the safetensors header (provenance), or null
     */
    public static void save(CausalLM model, Path dir, DataType dtype, Tokenizer tokenizer,
            Map<String, String> metadata) {
        if (tokenizer != null) {
            checkVocab(model.config(), tokenizer, dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserInputException(dir + ": cannot create folder: " + e.getMessage(), e);
        }
        saveWeights(model, dir.resolve(WEIGHTS), dtype, metadata);
        Json.write(dir.resolve(CONFIG), model.config());
        if (tokenizer != null) {
            tokenizer.save(dir.resolve(TOKENIZER_DIR));
        }
        LOG.info("saved {} model to {}", model.config().architecture(), dir);
    }

    /** Writes every parameter of {@code module} under its dotted name. */
    public static void saveWeights(Module module, Path file, DataType dtype,
            Map<String, String> metadata) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        module.namedParameters().forEach((name, p) -> tensors.put(name, p.getArray()));
        Safetensors.write(file, tensors, dtype, metadata);
    }

    /**
     * Copies tensors named like {@code module}'s parameters into its float32 parameters (stored
     * F16/BF16 values are widened). Every parameter must be present with its exact shape; extra tensors are
     * logged and ignored.
     */
    public static void loadWeights(Module module, TensorStore store) {
        Map<String, Parameter> params = module.namedParameters();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String name = e.getKey();
            NDArray target = e.getValue().getArray();
            Shape got = store.info(name).shape();
            if (!got.equals(target.getShape())) {
                throw new UserInputException(store.description() + ": tensor " + name
                        + " has shape " + got + " but the model config implies "
                        + target.getShape());
            }
            if (target.getDataType() != DataType.FLOAT32) {
                // weights are always loaded in float32; casting afterwards is the caller's choice
                throw new IllegalArgumentException("parameter " + name + " is "
                        + target.getDataType() + "; load weights into a float32 model");
            }
            target.set(store.readFloats(name));
        }
        List<String> extra = new ArrayList<>();
        for (String name : store.names()) {
            if (!params.containsKey(name)) {
                extra.add(name);
            }
        }
        if (!extra.isEmpty()) {
            LOG.warn("{}: {} tensors not used by the model: {}", store.description(), extra.size(),
                    extra.subList(0, Math.min(5, extra.size())));
        }
    }

    /**
     * Refuses a tokenizer whose ids do not all have an embedding row: token ids at or above
     * {@code vocab_size} would index past the embedding table.
     */
    public static void checkVocab(ModelConfig cfg, Tokenizer tokenizer, Path dir) {
        if (tokenizer.vocabSize() > cfg.vocabSize()) {
            throw new UserInputException(dir + ": tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's embedding has only vocab_size=" + cfg.vocabSize()
                    + " rows");
        }
    }

    static ModelConfig readOwnConfig(Path file) {
        try {
            return CONFIG_JSON.readValue(file.toFile(), ModelConfig.class);
        } catch (JsonProcessingException e) {
            // a config that parses but fails ModelConfig's checks arrives wrapped by Jackson
            Throwable cause = e.getCause();
            String what = cause instanceof IllegalArgumentException ? cause.getMessage()
                    : e.getOriginalMessage();
            throw new UserInputException(file + ": " + what, e);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read: " + e, e);
        }
    }
}
