package dev.align4j.datasets.bundle;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.io.Safetensors;
import dev.align4j.core.model.ScalarHead;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reward model: a {@link ModelBundle}'s causal LM as the backbone and a {@link ScalarHead} read at
 * the last real token of {@code prompt + response}. Lives here, not in the reward-model module, so
 * PPO (which must not depend on reward-model) loads and scores with the same code that trained it.
 *
 * <p>On disk a reward model folder is a model folder plus three files:
 * <ul>
 *   <li>{@value #HEAD}: the head, tensors {@code value_head.proj.weight} (1, C) and
 *       {@code value_head.proj.bias} (1);
 *   <li>{@value #STATS}: {@link RewardStats} over the training responses (PPO normalises with them);
 *   <li>{@value #CONFIG}: the training config; {@code max_length} and {@code max_prompt_length}
 *       are read back so that scoring truncates exactly as training did.
 * </ul>
 *
 * <p>Shapes: B sequences, T padded length, C d_model.
 */
public final class RewardBundle implements AutoCloseable {

    public static final String HEAD = "value_head.safetensors";
    public static final String STATS = "reward_stats.json";
    public static final String CONFIG = "reward_config.json";
    /** Prefix of the head's parameters in checkpoints and in {@value #HEAD}. */
    public static final String HEAD_PREFIX = "value_head.";

    private final ModelBundle base;
    private final ScalarHead head;
    private final PreferenceEncoder.Config lengths;
    private RewardStats stats;

    private RewardBundle(ModelBundle base, ScalarHead head, PreferenceEncoder.Config lengths, RewardStats stats) {
        this.base = base;
        this.head = head;
        this.lengths = lengths;
        this.stats = stats;
        int context = base.config().contextLength();
        if (lengths.maxLength() > context) {
            throw new UserInputException("max_length " + lengths.maxLength() + " exceeds the model's context_length "
                    + context);
        }
    }

    /** A fresh, zero-initialised head on {@code base} (takes ownership of the bundle). */
    public static RewardBundle create(ModelBundle base, PreferenceEncoder.Config lengths) {
        ScalarHead head = new ScalarHead(base.config().dModel());
        head.initialize(base.manager(), DataType.FLOAT32);
        return new RewardBundle(base, head, lengths, null);
    }

    /**
     * Loads a reward model folder onto {@code device}. A plain model folder (no {@value #HEAD}) is
     * refused with a message saying so.
     */
    public static RewardBundle load(Path dir, Device device) {
        Path headFile = dir.resolve(HEAD);
        if (!Files.isDirectory(dir)) {
            throw new UserInputException(dir + ": reward model folder not found");
        }
        if (!Files.isRegularFile(headFile)) {
            throw new UserInputException(dir + ": not a reward model folder: " + HEAD + " is missing (a plain "
                    + "model folder has no reward head; train one with 'align4j reward train')");
        }
        PreferenceEncoder.Config lengths = readLengths(dir.resolve(CONFIG));
        RewardStats stats = Files.isRegularFile(dir.resolve(STATS)) ? Json.read(dir.resolve(STATS), RewardStats.class)
                : null;
        ModelBundle base = ModelBundle.load(dir, device, null);
        try {
            ScalarHead head = new ScalarHead(base.config().dModel());
            head.initialize(base.manager(), DataType.FLOAT32);
            try (NDManager scratch = base.manager().newSubManager()) {
                Map<String, NDArray> stored;
                try {
                    stored = Safetensors.load(headFile, scratch);
                } catch (RuntimeException e) {
                    throw new UserInputException(headFile + ": cannot read the reward head: " + e.getMessage(), e);
                }
                for (Map.Entry<String, Parameter> p : head.namedParameters().entrySet()) {
                    NDArray v = stored.get(HEAD_PREFIX + p.getKey());
                    NDArray target = p.getValue().getArray();
                    if (v == null || !v.getShape().equals(target.getShape())) {
                        throw new UserInputException(headFile + ": tensor " + HEAD_PREFIX + p.getKey() + " "
                                + (v == null ? "is missing" : "has shape " + v.getShape()) + "; the model needs "
                                + target.getShape());
                    }
                    target.set(v.toType(DataType.FLOAT32, false).toFloatArray());
                }
            }
            return new RewardBundle(base, head, lengths, stats);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    private static PreferenceEncoder.Config readLengths(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(file.getParent() + ": not a reward model folder: " + CONFIG + " is missing");
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw TextFiles.readError(file, e);
        }
        if (!n.path("max_length").canConvertToInt() || !n.path("max_prompt_length").canConvertToInt()) {
            throw new UserInputException(file + ": max_length and max_prompt_length must be integers");
        }
        try {
            return new PreferenceEncoder.Config(n.get("max_length").asInt(), n.get("max_prompt_length").asInt());
        } catch (IllegalArgumentException e) {
            throw new UserInputException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rewards of a right- or left-padded batch.
     *
     * @param ids (B, T) token ids
     * @param mask (B, T) 1 for real tokens
     * @param training enables dropout
     * @return (B) the head's value at each row's last real token
     */
    public NDArray rewards(NDArray ids, NDArray mask, boolean training) {
        NDArray hidden = base.model().hidden(ids, mask, null, null, training); // (B, T, C)
        return ScalarHead.atLastToken(head.forward(hidden), mask); // (B, T) -> (B)
    }

    /** Rewards of token sequences, {@code batchSize} at a time, right-padded, without gradients. */
    public float[] score(List<int[]> sequences, int batchSize) {
        float[] out = new float[sequences.size()];
        for (int from = 0; from < sequences.size(); from += batchSize) {
            List<int[]> part = sequences.subList(from, Math.min(sequences.size(), from + batchSize));
            float[] r = scoreBatch(part);
            System.arraycopy(r, 0, out, from, r.length);
        }
        return out;
    }

    private float[] scoreBatch(List<int[]> seqs) {
        int b = seqs.size();
        int t = seqs.stream().mapToInt(s -> s.length).max().orElse(0);
        if (t == 0) {
            throw new IllegalArgumentException("cannot score empty sequences");
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        Arrays.fill(ids, base.tokenizer().padId());
        for (int r = 0; r < b; r++) {
            int[] s = seqs.get(r);
            if (s.length == 0) {
                throw new IllegalArgumentException("sequence " + r + " is empty");
            }
            for (int i = 0; i < s.length; i++) {
                ids[r * t + i] = s[i];
                mask[r * t + i] = 1;
            }
        }
        try (NDManager m = base.manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray idArr = m.create(ids, new Shape(b, t));
            NDArray maskArr = m.create(mask, new Shape(b, t));
            float[] r = rewards(idArr, maskArr, false).toType(DataType.FLOAT32, false).toFloatArray();
            scope.suppressNotUsedWarning();
            return r;
        }
    }

    /**
     * {@code prompt + response} as the trainer tokenizes it (template, BOS, EOS after the response),
     * cut to max_length / max_prompt_length the same way.
     */
    public int[] encode(List<Message> prompt, String response) {
        PreferenceEncoder enc = new PreferenceEncoder(base.tokenizer(), base.template(), lengths);
        TokenizedPreference t = enc.encode(new PreferenceExample(null, prompt, response, response, null));
        int[] out = Arrays.copyOf(t.promptIds(), t.promptLength() + t.chosenLength());
        System.arraycopy(t.chosenIds(), 0, out, t.promptLength(), t.chosenLength());
        return out;
    }

    /** Rewards of (prompt, response) pairs given as text; {@code prompts} and {@code responses} align. */
    public float[] scoreTexts(List<List<Message>> prompts, List<String> responses, int batchSize) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts for " + responses.size() + " responses");
        }
        List<int[]> seqs = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            seqs.add(encode(prompts.get(i), responses.get(i)));
        }
        return score(seqs, batchSize);
    }

    /** Backbone and head parameters by dotted name, the head's under {@value #HEAD_PREFIX}. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> all = new LinkedHashMap<>(base.model().namedParameters());
        head.namedParameters().forEach((k, v) -> all.put(HEAD_PREFIX + k, v));
        return all;
    }

    /** The head's parameters by dotted name, under {@value #HEAD_PREFIX}. */
    public Map<String, Parameter> headParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        head.namedParameters().forEach((k, v) -> out.put(HEAD_PREFIX + k, v));
        return out;
    }

    /**
     * Saves the folder atomically (temp sibling renamed into place).
     *
     * @param rewardConfig written as {@value #CONFIG}; must serialise with max_length and max_prompt_length
     * @param provenance written as provenance.json
     */
    public void save(Path dir, Object rewardConfig, Map<String, ?> provenance) {
        if (stats == null) {
            throw new IllegalStateException("set reward statistics before saving a reward model");
        }
        Path abs = dir.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        AtomicFiles.deleteTree(tmp);
        base.writeTo(tmp, provenance);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        headParameters().forEach((k, p) -> tensors.put(k, p.getArray()));
        Safetensors.save(tmp.resolve(HEAD), tensors);
        Json.write(tmp.resolve(STATS), stats);
        Json.write(tmp.resolve(CONFIG), rewardConfig);
        readLengths(tmp.resolve(CONFIG)); // refuse a config the loader could not read back
        AtomicFiles.replaceDir(tmp, abs);
    }

    public ModelBundle base() {
        return base;
    }

    public ScalarHead head() {
        return head;
    }

    public PreferenceEncoder.Config lengths() {
        return lengths;
    }

    /** Statistics from {@value #STATS}, or null for a model not trained yet. */
    public RewardStats stats() {
        return stats;
    }

    public void setStats(RewardStats stats) {
        this.stats = stats;
    }

    @Override
    public void close() {
        base.close();
    }
}
