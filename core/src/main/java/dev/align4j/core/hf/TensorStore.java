package dev.align4j.core.hf;

import dev.align4j.core.io.Safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a model folder by tensor name: a single {@code model.safetensors} or shards listed
 * in {@code model.safetensors.index.json} ({@code {"weight_map": {name: file}}}). Only headers are
 * read up front; tensor data is read on demand.
 */
public final class TensorStore {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final String description;
    private final Map<String, Safetensors.TensorInfo> infos = new LinkedHashMap<>();
    private final Map<String, Path> files = new HashMap<>();

    private TensorStore(Path dir, String description) {
        this.dir = dir;
        this.description = description;
    }

    /** Whether {@code dir} holds weights this class can open. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve(SINGLE)) || Files.isRegularFile(dir.resolve(INDEX));
    }

    /** Opens the weights of {@code dir}, preferring the single file when both exist. */
    public static TensorStore open(Path dir) {
        Path single = dir.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            TensorStore store = new TensorStore(dir, single.toString());
            store.add(Safetensors.readHeader(single));
            return store;
        }
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new UserInputException(dir + ": no weights found (expected " + SINGLE + " or "
                    + INDEX + ")");
        }
        JsonNode map;
        try {
            map = Safetensors.JSON.readTree(index.toFile()).get("weight_map");
        } catch (IOException e) {
            throw new UserInputException(index + ": cannot read: " + e.getMessage(), e);
        }
        if (map == null || !map.isObject()) {
            throw UserInputException.at(index, 0, "weight_map", "missing or not an object");
        }
        Map<String, String> byName = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            byName.put(e.getKey(), e.getValue().asText());
        }
        Map<String, Safetensors.Header> shards = new LinkedHashMap<>();
        for (String shard : byName.values()) {
            if (!shards.containsKey(shard)) {
                Path file = dir.resolve(shard);
                if (!Files.isRegularFile(file)) {
                    throw new UserInputException(index + ": lists shard " + shard
                            + ", which is missing from " + dir);
                }
                shards.put(shard, Safetensors.readHeader(file));
            }
        }
        TensorStore store = new TensorStore(dir, index + " (" + shards.size() + " shards)");
        for (Map.Entry<String, String> e : byName.entrySet()) {
            Safetensors.Header h = shards.get(e.getValue());
            Safetensors.TensorInfo info = h.tensors().get(e.getKey());
            if (info == null) {
                throw new UserInputException(index + ": maps tensor " + e.getKey() + " to "
                        + e.getValue() + ", which does not contain it");
            }
            store.infos.put(e.getKey(), info);
            store.files.put(e.getKey(), h.file());
        }
        return store;
    }

    private void add(Safetensors.Header header) {
        for (Safetensors.TensorInfo info : header.tensors().values()) {
            infos.put(info.name(), info);
            files.put(info.name(), header.file());
        }
    }

    public Path dir() {
        return dir;
    }

    /** The file (or index with its shard count) the tensors come from, for messages. */
    public String description() {
        return description;
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(infos.keySet());
    }

    public boolean contains(String name) {
        return infos.containsKey(name);
    }

    /** Header entry of {@code name}; a {@link UserInputException} naming it when it is missing. */
    public Safetensors.TensorInfo info(String name) {
        Safetensors.TensorInfo info = infos.get(name);
        if (info == null) {
            throw new UserInputException(description + ": tensor " + name + " is missing");
        }
        return info;
    }

    /** Values of a floating-point tensor as float32, row-major. */
    public float[] readFloats(String name) {
        return Safetensors.readFloats(info(name), files.get(name));
    }
}
