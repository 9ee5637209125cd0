package dev.align4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.io.Safetensors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoint folders {@code <output_dir>/checkpoints/step-N/} holding {@code weights.safetensors}
 * (every model parameter by dotted name), {@code optimizer.safetensors} ({@link AdamW#stateDict()})
 * and {@code state.json} ({@link TrainState}), then {@link CheckpointManifest} ({@code manifest.json}:
 * each file's size and SHA-256) last. A folder is written under a temporary name and renamed into
 * place; resuming from {@code latest} takes the newest folder whose manifest holds, skipping (with a
 * warning) any with a missing manifest or a missing, truncated or changed file.
 */
public final class Checkpoint {

    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");
    private static final Logger LOG = LogManager.getLogger(Checkpoint.class);

    private Checkpoint() {
    }

    /** {@code <outputDir>/checkpoints}. */
    public static Path dir(Path outputDir) {
        return outputDir.resolve("checkpoints");
    }

    /**
     * Writes checkpoint {@code state.step()} under {@code checkpointsDir} atomically.
     *
     * @param extras writes more files into the temporary folder before the rename (may be null)
     * @return the final folder
     */
    public static Path save(Path checkpointsDir, TrainState state, Map<String, NDArray> weights,
            Map<String, NDArray> optimizer, Consumer<Path> extras) {
        Path fin = checkpointsDir.resolve("step-" + state.step());
        Path tmp = checkpointsDir.resolve(".tmp-step-" + state.step() + "-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            Safetensors.save(tmp.resolve(WEIGHTS), weights);
            Safetensors.save(tmp.resolve(OPTIMIZER), optimizer);
            if (extras != null) {
                extras.accept(tmp);
            }
            Json.write(tmp.resolve(STATE), state);
            CheckpointManifest.write(tmp); // last: a folder with a valid manifest is complete
            AtomicFiles.replaceDir(tmp, fin);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(tmp);
            if (rootCause(e) instanceof IOException) {
                throw saveFailed(checkpointsDir, fin, e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e); // not I/O: a bug
        }
        return fin;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * A failed save (a full disk, most often) as a user error (exit 2) that says what to do; the
     * half-written temporary folder is gone and earlier checkpoints were not touched.
     */
    private static UserInputException saveFailed(Path checkpointsDir, Path fin, Exception e) {
        Throwable root = rootCause(e);
        List<Path> earlier = list(checkpointsDir).stream().filter(p -> !p.equals(fin)).toList();
        String kept = earlier.isEmpty() ? "there is no earlier checkpoint"
                : "the earlier checkpoint " + earlier.get(earlier.size() - 1) + " is intact; free space and"
                + " run the command again with --resume (or resume_from_checkpoint: latest)";
        return new UserInputException("cannot save checkpoint " + fin + ": " + root.getMessage()
                + "; nothing of it was kept and " + kept, e);
    }

    /**
     * The checkpoint every trainer writes: {@code params}' weights, the {@link OptimizerStep}'s AdamW
     * state and fp16 scaler ({@value ScalerState#FILE}), then {@code extras}, then state.json.
     */
    public static Path save(Path checkpointsDir, TrainState state, Map<String, Parameter> params,
            OptimizerStep step, Consumer<Path> extras) {
        Map<String, NDArray> opt = step.optimizer().stateDict();
        try {
            return save(checkpointsDir, state, arrays(params), opt, tmp -> {
                ScalerState.save(tmp, step.scaler());
                if (extras != null) {
                    extras.accept(tmp);
                }
            });
        } finally {
            opt.get("step").close(); // a fresh array per call; m and v are live state
        }
    }

    /** Restores what {@link #save(Path, TrainState, Map, OptimizerStep, Consumer)} wrote; returns its state. */
    public static TrainState restore(Path dir, Map<String, Parameter> params, OptimizerStep step, NDManager base) {
        TrainState s = readState(dir);
        try (NDManager scratch = base.newSubManager()) {
            restoreWeights(dir, params, scratch);
            restoreOptimizer(dir, step.optimizer(), scratch);
        }
        ScalerState.restore(dir, step.scaler());
        return s;
    }

    /** Complete checkpoints (folders {@code step-N} with a state.json), oldest first. */
    public static List<Path> list(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            return s.filter(p -> step(p) >= 0 && Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparingLong(Checkpoint::step))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpointsDir, e);
        }
    }

    /**
     * The newest checkpoint whose {@link CheckpointManifest} holds. Newer folders that fail the check
     * are skipped with a warning naming the problem. Folders without a manifest (older align4j) are
     * skipped too: nothing tells a complete one from a damaged one; name one explicitly to use it.
     */
    public static Optional<Path> latest(Path checkpointsDir) {
        return Optional.ofNullable(newestGood(checkpointsDir, new ArrayList<>()));
    }

    private static Path newestGood(Path checkpointsDir, List<String> skipped) {
        List<Path> all = list(checkpointsDir);
        for (int i = all.size() - 1; i >= 0; i--) {
            String problem = CheckpointManifest.problem(all.get(i));
            if (problem == null) {
                return all.get(i);
            }
            skipped.add(all.get(i).getFileName() + ": " + problem);
            LOG.warn("skipping checkpoint {}: {}; trying the one before", all.get(i), problem);
        }
        return null;
    }

    /** Step number of a {@code step-N} folder, or -1 for any other name. */
    public static long step(Path dir) {
        Matcher m = STEP_DIR.matcher(dir.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * {@code resume_from_checkpoint} to a folder: {@code latest} is the newest checkpoint under
     * {@code <outputDir>/checkpoints}; anything else is a checkpoint folder path.
     */
    public static Path resolve(String spec, Path outputDir) {
        if (spec.equals("latest")) {
            List<String> skipped = new ArrayList<>();
            Path good = newestGood(dir(outputDir), skipped);
            if (good == null) {
                throw new UserInputException("resume_from_checkpoint: latest: no complete checkpoint in "
                        + dir(outputDir) + (skipped.isEmpty() ? "" : " (skipped " + String.join("; ", skipped)
                        + ")"));
            }
            return good;
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p.resolve(STATE)) || !Files.isRegularFile(p.resolve(WEIGHTS))) {
            throw new UserInputException("resume_from_checkpoint: " + spec
                    + ": not a checkpoint folder (needs " + STATE + " and " + WEIGHTS + ")");
        }
        String problem = CheckpointManifest.problem(p);
        if (problem != null && Files.exists(p.resolve(CheckpointManifest.FILE))) {
            throw new UserInputException("resume_from_checkpoint: " + spec + ": " + problem);
        }
        if (problem != null) {
            LOG.warn("checkpoint {} has no {}; using it as asked, unchecked", p, CheckpointManifest.FILE);
        }
        return p;
    }

    public static TrainState readState(Path dir) {
        return Json.read(dir.resolve(STATE), TrainState.class);
    }

    /**
     * Deletes the oldest checkpoints until at most {@code limit} remain, never {@code keepStep}
     * (the best) and never the newest. {@code limit <= 0} keeps all.
     */
    public static void prune(Path checkpointsDir, int limit, long keepStep) {
        if (limit <= 0) {
            return;
        }
        List<Path> all = new ArrayList<>(list(checkpointsDir));
        int excess = all.size() - limit;
        for (int i = 0; i < all.size() - 1 && excess > 0; i++) {
            if (step(all.get(i)) != keepStep) {
                AtomicFiles.deleteTree(all.get(i));
                excess--;
            }
        }
    }

    /** Removes temporary folders left by a crash during a save. */
    public static void cleanTemporaries(Path checkpointsDir) {
        if (!Files.isDirectory(checkpointsDir)) {
            return;
        }
        try (Stream<Path> s = Files.list(checkpointsDir)) {
            s.filter(p -> p.getFileName().toString().startsWith(".tmp-step-")).forEach(AtomicFiles::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + checkpointsDir, e);
        }
    }

    /** Parameter arrays by name, as {@link #save} wants them. */
    public static Map<String, NDArray> arrays(Map<String, Parameter> params) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        params.forEach((name, p) -> out.put(name, p.getArray()));
        return out;
    }

    /**
     * Copies the checkpoint's weights into {@code params} in place. Every parameter must be in the
     * file with the same shape; extra tensors in the file are ignored. Loaded copies live on
     * {@code scratch}, which the caller closes.
     */
    public static void restoreWeights(Path dir, Map<String, Parameter> params, NDManager scratch) {
        Map<String, NDArray> loaded = Safetensors.load(dir.resolve(WEIGHTS), scratch);
        List<String> missing = params.keySet().stream().filter(n -> !loaded.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new UserInputException(dir.resolve(WEIGHTS) + ": missing parameters " + missing);
        }
        params.forEach((name, p) -> AdamW.copy(name, loaded.get(name), p.getArray()));
    }

    /** Loads optimizer state into {@code optimizer} (in place). */
    public static void restoreOptimizer(Path dir, AdamW optimizer, NDManager scratch) {
        optimizer.loadStateDict(Safetensors.load(dir.resolve(OPTIMIZER), scratch));
    }
}
