package dev.align4j.core.hf;

import dev.align4j.core.io.Safetensors;
import dev.align4j.core.io.Json;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.Architecture;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.hf.HfNames.Source;
import dev.align4j.core.model.ModelConfig;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and saves {@link CausalLM}s in the Hugging Face transformers layout: {@code config.json}
 * plus {@code model.safetensors} (or shards with {@code model.safetensors.index.json}) for
 * {@code GPT2LMHeadModel} and {@code LlamaForCausalLM}. See {@link HfNames} for the tensor names
 * and GPT-2's transposed, fused attention weights.
 *
 * <p>Weights of any float type (F32, F16, BF16) load as float32; saving writes float32 or float16.
 */
public final class HfModelIO {

    private static final Logger LOG = LogManager.getLogger(HfModelIO.class);

    private HfModelIO() {}

    /** Whether {@code dir} looks like a Hugging Face model folder. */
    public static boolean isHfFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(HfConfig.FILE)) && TensorStore.present(dir);
    }

    /** Reads {@code config.json} and the weights of {@code dir} into a float32 model on {@code manager}. */
    public static CausalLM load(Path dir, NDManager manager) {
        HfJson json = HfJson.read(dir.resolve(HfConfig.FILE));
        ModelConfig cfg = HfConfig.read(json);
        TensorStore store = TensorStore.open(dir);
        String prefix = store.contains("transformer.wte.weight") ? "transformer." : "";
        checkTying(json, cfg, store, prefix);
        CausalLM model = new CausalLM(cfg);
        model.initialize(manager, DataType.FLOAT32);
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, List<Member>> group : groups(model, prefix).entrySet()) {
            String hfName = group.getKey();
            List<Member> members = group.getValue();
            if (!store.contains(hfName)) {
                throw new UserInputException(store.description() + ": tensor " + hfName
                        + " (align4j " + members.get(0).name + ") is missing");
            }
            Shape want = hfShape(members);
            Shape got = store.info(hfName).shape();
            if (!got.equals(want)) {
                throw new UserInputException(store.description() + ": tensor " + hfName
                        + " has shape " + got + " but " + HfConfig.FILE + " implies " + want);
            }
            float[] data = store.readFloats(hfName);
            if (cfg.tieWordEmbeddings() && store.contains(HEAD) && hfName.equals(embeddingName(cfg, prefix))) {
                checkTiedHead(json, cfg, store, hfName, data);
            }
            Source s = members.get(0).source;
            if (s.transpose()) {
                data = transpose(data, (int) got.get(0), (int) got.get(1));
            }
            int per = data.length / s.parts();
            for (Member m : members) {
                int part = m.source.part();
                m.param.getArray().set(Arrays.copyOfRange(data, part * per, (part + 1) * per));
            }
            used.add(hfName);
        }
        List<String> unused = new ArrayList<>();
        for (String name : store.names()) {
            if (!used.contains(name) && !HfNames.isBuffer(name)
                    && !(cfg.tieWordEmbeddings() && name.equals("lm_head.weight"))) {
                unused.add(name);
            }
        }
        if (!unused.isEmpty()) {
            LOG.warn("{}: {} tensors not used by a {} model: {}", store.description(),
                    unused.size(), cfg.architecture(), unused.subList(0, Math.min(5, unused.size())));
        }
        LOG.info("loaded {} model (d={}, layers={}, vocab={}) from {}", cfg.architecture(),
                cfg.dModel(), cfg.nLayers(), cfg.vocabSize(), dir);
        return model;
    }

    private static final String HEAD = "lm_head.weight";
    private static final String TIE = "tie_word_embeddings";

    /**
     * Refuses weights that contradict {@code tie_word_embeddings}, before any tensor is read: untied
     * but there is no {@code lm_head.weight} (transformers would start it from random values); tied
     * but the file holds an {@code lm_head.weight} of another shape than the embedding. Its values
     * are compared by {@link #checkTiedHead} once the embedding is read. An untied config whose
     * lm_head equals the embedding loads as two copies.
     */
    static void checkTying(HfJson json, ModelConfig cfg, TensorStore store, String prefix) {
        if (!cfg.tieWordEmbeddings()) {
            if (!store.contains(HEAD)) {
                throw json.error(TIE, tieSaid(json, cfg) + ", but " + store.description() + " has no "
                        + HEAD + "; set " + TIE + " to true if the output layer shares the embedding");
            }
            return;
        }
        String embedding = embeddingName(cfg, prefix);
        if (store.contains(HEAD) && store.contains(embedding)) {
            Shape a = store.info(HEAD).shape();
            Shape b = store.info(embedding).shape();
            if (!a.equals(b)) {
                throw tiedButDistinct(json, cfg, store, "has shape " + a + " while " + embedding
                        + " has " + b);
            }
        }
    }

    /**
     * Tied config: refuses a stored {@code lm_head.weight} whose values differ from the embedding
     * {@code embedding} just read (loading would silently drop the trained output layer).
     */
    private static void checkTiedHead(HfJson json, ModelConfig cfg, TensorStore store, String name,
            float[] embedding) {
        float[] head = store.readFloats(HEAD);
        for (int i = 0; i < head.length; i++) {
            if (Float.compare(head[i], embedding[i]) != 0) {
                throw tiedButDistinct(json, cfg, store, "differs from " + name + " (element " + i
                        + ": " + head[i] + " vs " + embedding[i] + ")");
            }
        }
    }

    private static String embeddingName(ModelConfig cfg, String prefix) {
        return HfNames.source(cfg, "embed_tokens.weight", prefix).hfName();
    }

    private static String tieSaid(HfJson json, ModelConfig cfg) {
        return TIE + " is " + cfg.tieWordEmbeddings()
                + (json.root().has(TIE) ? "" : " (the default for this architecture)");
    }

    private static UserInputException tiedButDistinct(HfJson json, ModelConfig cfg, TensorStore store,
            String how) {
        return json.error(TIE, tieSaid(json, cfg) + ", but " + store.description() + " holds a distinct "
                + HEAD + " that " + how + "; set " + TIE + " to false to load it as its own output layer");
    }

    /**
     * Writes {@code config.json} and {@code model.safetensors} to {@code dir} (created if needed) so
     * that {@code AutoModelForCausalLM.from_pretrained(dir)} loads the model.
     *
     * @param dtype FLOAT32 or FLOAT16 for the stored weights
     * @param extraConfig more config.json keys (e.g. {@code eos_token_id}), or null
     */
    public static void save(CausalLM model, Path dir, DataType dtype, Map<String, ?> extraConfig) {
        ModelConfig cfg = model.config();
        String torchDtype = dtype == DataType.FLOAT16 ? "float16" : "float32";
        var json = HfConfig.toJson(cfg, torchDtype, extraConfig);
        String prefix = cfg.architecture() == Architecture.GPT2 ? "transformer." : "";
        Map<String, List<Member>> groups = groups(model, prefix);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserInputException(dir + ": cannot create folder: " + e.getMessage(), e);
        }
        try (NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, List<Member>> group : groups.entrySet()) {
                List<Member> members = group.getValue();
                Shape shape = hfShape(members);
                float[] data = new float[(int) shape.size()];
                int per = data.length / members.size();
                for (Member m : members) {
                    System.arraycopy(floats(m.param), 0, data, m.source.part() * per, per);
                }
                if (members.get(0).source.transpose()) {
                    // data is (rows, cols) in our orientation; the file stores (cols, rows)
                    data = transpose(data, (int) shape.get(1), (int) shape.get(0));
                }
                tensors.put(group.getKey(), cpu.create(data, shape));
            }
            Safetensors.write(dir.resolve(TensorStore.SINGLE), tensors, dtype, null);
        }
        Json.write(dir.resolve(HfConfig.FILE), json);
        LOG.info("saved {} model in Hugging Face layout ({}) to {}", cfg.architecture(), torchDtype,
                dir);
    }

    private record Member(String name, Parameter param, Source source) {}

    private static Map<String, List<Member>> groups(CausalLM model, String prefix) {
        Map<String, List<Member>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Source s = HfNames.source(model.config(), e.getKey(), prefix);
            groups.computeIfAbsent(s.hfName(), k -> new ArrayList<>())
                    .add(new Member(e.getKey(), e.getValue(), s));
        }
        for (List<Member> members : groups.values()) {
            members.sort(Comparator.comparingInt(m -> m.source.part()));
            if (members.size() != members.get(0).source.parts()) {
                throw new IllegalStateException("incomplete fused tensor " + members);
            }
        }
        return groups;
    }

    /** The stored shape of a group: our parts stacked on axis 0, transposed for Conv1D. */
    private static Shape hfShape(List<Member> members) {
        Source s = members.get(0).source;
        long[] dims = members.get(0).param.getShape().getShape().clone();
        dims[0] *= s.parts();
        if (s.transpose()) {
            return new Shape(dims[1], dims[0]);
        }
        return new Shape(dims);
    }

    /** (rows, cols) row-major to (cols, rows) row-major. */
    static float[] transpose(float[] a, int rows, int cols) {
        float[] out = new float[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = a[r * cols + c];
            }
        }
        return out;
    }

    static float[] floats(Parameter p) {
        NDArray a = p.getArray();
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }
}
