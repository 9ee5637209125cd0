package dev.align4j.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named tensors in the safetensors format (readable by Hugging Face {@code safetensors}), through
 * DJL's {@code NDList} encoder, which takes tensor names from {@link NDArray#getName()}.
 */
public final class Safetensors {

    private Safetensors() {
    }

    /**
     * Writes {@code tensors} (name -> array, any shape) to {@code file} atomically: streamed into a
     * temp file beside it, fsynced, renamed. The arrays' own names are restored afterwards, so
     * saving does not rename a model's parameters.
     */
    public static void save(Path file, Map<String, NDArray> tensors) {
        Path abs = file.toAbsolutePath();
        NDList list = new NDList(tensors.size());
        List<String> oldNames = new ArrayList<>(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            oldNames.add(e.getValue().getName());
            e.getValue().setName(e.getKey());
            list.add(e.getValue());
        }
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20)) {
                    list.encode(out, NDList.Encoding.SAFETENSORS);
                    out.flush();
                    ch.force(true);
                }
                Files.move(tmp, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        } finally {
            int i = 0;
            for (NDArray a : tensors.values()) {
                a.setName(oldNames.get(i++));
            }
        }
    }

    /** Reads every tensor of {@code file} onto {@code manager}, in file order, keyed by name. */
    public static Map<String, NDArray> load(Path file, NDManager manager) {
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            list = NDList.decode(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a safetensors file: " + e.getMessage(), e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            out.put(a.getName(), a);
        }
        return out;
    }
}
