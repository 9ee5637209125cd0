package dev.align4j.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Safetensors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code manifest.json} of a checkpoint folder: every other file's size and SHA-256, written last
 * (atomically) so that a folder with a valid manifest is one whose files are all there and
 * unchanged. {@link #problem} tells what is wrong with a folder, for resume to skip it.
 *
 * <pre>{"format": 1, "files": {"weights.safetensors": {"size": 123, "sha256": "ab12..."}, ...}}</pre>
 */
public final class CheckpointManifest {

    public static final String FILE = "manifest.json";
    private static final int FORMAT = 1;

    private CheckpointManifest() {}

    /** Hashes every file under {@code dir} (sub-folders included) and writes the manifest there. */
    public static void write(Path dir) {
        ObjectNode root = Safetensors.JSON.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode files = root.putObject("files");
        for (Path f : files(dir)) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            if (rel.equals(FILE)) {
                continue;
            }
            ObjectNode e = files.putObject(rel);
            e.put("size", size(f));
            e.put("sha256", sha256(f));
        }
        AtomicFiles.writeString(dir.resolve(FILE), root.toPrettyString() + "\n");
    }

    /**
     * What is wrong with checkpoint {@code dir}, or null when every file of its manifest is there
     * with its size and hash. Sizes are compared first so a truncated file costs no hashing.
     */
    public static String problem(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return "no " + FILE + " (a checkpoint of an older align4j, or damaged)";
        }
        JsonNode root;
        try {
            root = Safetensors.JSON.readTree(file.toFile());
        } catch (IOException e) {
            return FILE + " is not valid JSON: " + e.getMessage();
        }
        JsonNode files = root == null ? null : root.get("files");
        if (files == null || !files.isObject() || files.isEmpty()) {
            return FILE + " lists no files";
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Path f = dir.resolve(e.getKey()).normalize();
            if (!f.startsWith(dir.normalize()) || !Files.isRegularFile(f)) {
                return e.getKey() + " is missing";
            }
            long want = e.getValue().path("size").asLong(-1);
            long got = size(f);
            if (got != want) {
                return e.getKey() + " has " + got + " bytes, the manifest says " + want;
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!sha256(dir.resolve(e.getKey())).equals(e.getValue().path("sha256").asText())) {
                return e.getKey() + " does not match its SHA-256 in the manifest (changed or corrupt)";
            }
        }
        return null;
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    static String sha256(Path f) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
