package dev.align4j.core.peft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Safetensors;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.Linear;
import dev.align4j.core.model.Module;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * LoRA adapter folders, switching adapters on and off, and base-model identity.
 *
 * <p>A folder holds {@code adapter_config.json} ({@link Manifest}: the PEFT config, the base model
 * hash and the adapted layers) and {@code adapter_model.safetensors} with only the adapter tensors,
 * named by their dotted parameter names ({@code blocks.0.attn.q_proj.lora.lora_A}). The QLoRA base is
 * not stored: loading quantizes the dense base again, which gives the same NF4 weights.
 *
 * <p>Base model hash: SHA-256 over every base parameter's name, shape and fp32 value bytes, computed
 * from the model in memory rather than from its weights file, so the same weights loaded from our
 * format or from a Hugging Face folder hash the same, and a QLoRA model still hashes as its dense base
 * (each layer keeps the digest of its dense weight from before quantization). It costs one pass over
 * the weights on the host: milliseconds for the tiny and small presets.
 */
public final class Adapters {

    private static final Logger LOG = LogManager.getLogger(Adapters.class);

    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Adapters() {
    }

    /**
     * Contents of {@code adapter_config.json}.
     *
     * @param formatVersion {@link #FORMAT_VERSION}
     * @param peft the config that built the adapters
     * @param baseModelHash {@link #baseModelHash} of the base the adapters were trained on
     * @param targetModules dotted names of the adapted linear layers
     */
    public record Manifest(
            @JsonProperty("format_version") int formatVersion,
            @JsonProperty("peft") PeftConfig peft,
            @JsonProperty("base_model_hash") String baseModelHash,
            @JsonProperty("target_modules") List<String> targetModules) {
    }

    /** A loaded adapter: its manifest and the model's trainable parameters (to keep training). */
    public record Loaded(Manifest manifest, Map<String, Parameter> trainable) {
    }

    /**
     * Turns every adapter off (the model computes its base: DPO's reference model) or on again.
     *
     * @throws IllegalStateException if the model has no adapters (switching "off" would silently
     *     leave the policy in place of the reference) or an adapter is merged
     */
    public static void setEnabled(Module model, boolean enabled) {
        Map<String, LoraAdapter> adapters = Lora.adapters(model);
        if (adapters.isEmpty()) {
            throw new IllegalStateException("model has no adapters to switch");
        }
        for (LoraAdapter a : adapters.values()) {
            a.setEnabled(enabled);
        }
    }

    /** {@code sha256:<hex>} of the base weights (adapters excluded); see the class comment. */
    public static String baseModelHash(CausalLM model) {
        Map<String, LoraAdapter> adapters = Lora.adapters(model);
        Set<String> adapterParams = new TreeSet<>();
        adapters.forEach((layer, a) -> a.ownParameters().keySet()
                .forEach(p -> adapterParams.add(layer + "." + LoraAdapter.NAME + "." + p)));
        MessageDigest md = Digests.sha256();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            String name = e.getKey();
            if (adapterParams.contains(name)) {
                continue;
            }
            LoraAdapter owner = name.endsWith(".weight")
                    ? adapters.get(name.substring(0, name.length() - ".weight".length()))
                    : null;
            if (owner != null && owner.isMerged()) {
                throw new IllegalStateException("adapters are merged into the weights; unmerge "
                        + "before hashing the base model");
            }
            byte[] digest;
            Parameter p = e.getValue();
            if (p.isInitialized()) {
                digest = Digests.sha256(p.getArray());
            } else if (owner != null && owner.quantizedBase() != null) {
                digest = owner.denseDigest();
            } else {
                throw new IllegalStateException("parameter " + name + " is not initialized");
            }
            md.update((name + "\0" + p.getShape() + "\0").getBytes(StandardCharsets.UTF_8));
            md.update(digest);
        }
        return "sha256:" + Digests.hex(md.digest());
    }

    /**
     * Writes the model's LoRA adapters to {@code dir} (replacing it), through a temporary sibling
     * folder renamed into place, so a crash leaves either the old folder or the new one.
     *
     * @param cfg the config the adapters were built with (method LORA or QLORA)
     * @param baseModelHash {@link #baseModelHash} of the base, taken before training
     */
    public static void save(Path dir, CausalLM model, PeftConfig cfg, String baseModelHash)
            throws IOException {
        if (cfg.method() != PeftMethod.LORA && cfg.method() != PeftMethod.QLORA) {
            throw new IllegalArgumentException("adapter folders hold LoRA/QLoRA adapters; method "
                    + cfg.method().configName() + " saves full weights in a checkpoint");
        }
        Map<String, LoraAdapter> adapters = Lora.adapters(model);
        if (adapters.isEmpty()) {
            throw new IllegalStateException("model has no LoRA adapters to save");
        }
        for (Map.Entry<String, LoraAdapter> e : adapters.entrySet()) {
            LoraAdapter a = e.getValue();
            if (a.isMerged()) {
                throw new IllegalStateException("unmerge adapters before saving them");
            }
            if (a.rank() != cfg.loraR() || a.alpha() != cfg.loraAlpha()) {
                throw new IllegalArgumentException("adapter " + e.getKey() + " has r=" + a.rank()
                        + " alpha=" + a.alpha() + ", config says r=" + cfg.loraR() + " alpha="
                        + cfg.loraAlpha());
            }
        }
        Manifest manifest = new Manifest(FORMAT_VERSION, cfg, baseModelHash,
                List.copyOf(adapters.keySet()));
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + dir.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            try (NDScope scope = new NDScope(); OutputStream os =
                    Files.newOutputStream(tmp.resolve(WEIGHTS_FILE))) {
                NDList tensors = new NDList();
                for (Map.Entry<String, LoraAdapter> e : adapters.entrySet()) {
                    for (Map.Entry<String, Parameter> p : e.getValue().ownParameters().entrySet()) {
                        // a copy carries the file name, the parameter's own array keeps its name
                        NDArray copy = p.getValue().getArray().duplicate();
                        copy.setName(e.getKey() + "." + LoraAdapter.NAME + "." + p.getKey());
                        tensors.add(copy);
                    }
                }
                tensors.encode(os, NDList.Encoding.SAFETENSORS);
            }
            JSON.writeValue(tmp.resolve(CONFIG_FILE).toFile(), manifest);
            replace(tmp, dir);
        } finally {
            deleteTree(tmp);
        }
        LOG.info("saved {} LoRA layers to {}", adapters.size(), dir);
    }

    /**
     * Attaches the adapters saved in {@code dir} to {@code base} (a fresh base model) and loads their
     * weights. Everything is checked before the model is touched.
     *
     * @param baseModelHash {@link #baseModelHash} of {@code base}
     * @throws UserInputException when the folder is not an adapter folder, was trained on another
     *     base, or its tensors do not fit
     */
    public static Loaded load(Path dir, CausalLM base, String baseModelHash) throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        for (Path f : new Path[] {configFile, weightsFile}) {
            if (!Files.isRegularFile(f)) {
                throw UserInputException.at(dir, 0, null, "not an adapter folder: missing "
                        + f.getFileName());
            }
        }
        Manifest manifest = readManifest(configFile);
        if (manifest.formatVersion() != FORMAT_VERSION) {
            throw UserInputException.at(configFile, 0, "format_version", "unsupported version "
                    + manifest.formatVersion() + " (this build reads " + FORMAT_VERSION + ")");
        }
        if (!baseModelHash.equals(manifest.baseModelHash())) {
            throw UserInputException.at(configFile, 0, "base_model_hash", "the adapter was trained "
                    + "on base " + manifest.baseModelHash() + " but this base model is "
                    + baseModelHash);
        }
        PeftConfig cfg = manifest.peft();
        List<String> layers = Peft.targetLayers(base, cfg.loraTargetModules());
        if (!layers.equals(manifest.targetModules())) {
            throw UserInputException.at(configFile, 0, "target_modules", "the config selects "
                    + layers + " in this model, the file lists " + manifest.targetModules());
        }
        Map<String, Shape> expected = new LinkedHashMap<>();
        Map<String, Linear> linears = Peft.linearLayers(base);
        for (String layer : layers) {
            Linear l = linears.get(layer);
            String prefix = layer + "." + LoraAdapter.NAME + ".";
            expected.put(prefix + "lora_A", new Shape(cfg.loraR(), l.inFeatures()));
            expected.put(prefix + "lora_B", new Shape(l.outFeatures(), cfg.loraR()));
        }
        // the header, and every tensor's bytes inside the file, before DJL's decoder reads it (a
        // truncated file is then exit 2 naming it, not "Malformed data")
        Safetensors.readHeader(weightsFile);
        NDManager manager = base.embedTokens().weight().getArray().getManager();
        try (NDManager tmp = manager.newSubManager(); InputStream in =
                Files.newInputStream(weightsFile)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (NDArray a : NDList.decode(tmp, in)) {
                tensors.put(a.getName(), a);
            }
            if (!tensors.keySet().equals(expected.keySet())) {
                Set<String> missing = new TreeSet<>(expected.keySet());
                missing.removeAll(tensors.keySet());
                Set<String> extra = new TreeSet<>(tensors.keySet());
                extra.removeAll(expected.keySet());
                throw UserInputException.at(weightsFile, 0, null, "tensors do not match "
                        + CONFIG_FILE + ": missing " + missing + ", unexpected " + extra);
            }
            for (Map.Entry<String, Shape> e : expected.entrySet()) {
                Shape got = tensors.get(e.getKey()).getShape();
                if (!got.equals(e.getValue())) {
                    throw UserInputException.at(weightsFile, 0, e.getKey(), "shape " + got
                            + ", expected " + e.getValue());
                }
            }
            Map<String, Parameter> trainable = Peft.apply(base, cfg, manager);
            for (Map.Entry<String, Parameter> e : trainable.entrySet()) {
                NDArray target = e.getValue().getArray();
                DataType dt = target.getDataType();
                target.set(tensors.get(e.getKey()).toType(dt, false).toByteBuffer());
            }
            LOG.info("loaded {} LoRA layers from {}", layers.size(), dir);
            return new Loaded(manifest, trainable);
        }
    }

    /** Reads {@code adapter_config.json}; errors name the file. */
    public static Manifest readManifest(Path configFile) throws IOException {
        Manifest manifest;
        try {
            manifest = JSON.readValue(configFile.toFile(), Manifest.class);
        } catch (JsonProcessingException e) {
            // a PeftConfig check failing inside Jackson arrives as the cause
            Throwable cause = e.getCause() instanceof UserInputException u ? u : e;
            throw UserInputException.at(configFile, 0, null, cause.getMessage()
                    .lines().findFirst().orElse("invalid JSON"));
        }
        if (manifest.peft() == null || manifest.baseModelHash() == null
                || manifest.targetModules() == null) {
            throw UserInputException.at(configFile, 0, null,
                    "needs peft, base_model_hash and target_modules");
        }
        return manifest;
    }

    /** Moves {@code tmp} to {@code dir}; an existing {@code dir} is renamed aside and then deleted. */
    private static void replace(Path tmp, Path dir) throws IOException {
        Path old = null;
        if (Files.exists(dir)) {
            old = tmp.resolveSibling(tmp.getFileName() + ".old");
            Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
