package dev.align4j.core.run;

import dev.align4j.core.UserInputException;
import dev.align4j.core.Version;
import dev.align4j.core.io.Json;
import dev.align4j.core.train.Checkpoint;
import dev.align4j.core.train.TrainingArgs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run folder's first files, one writer for every method: validation of output_dir and of the
 * resume point (before anything is written), then {@code config.json} (the resolved config) and
 * {@code run.json} (seed, data hash, version, start time, sizes).
 */
public final class RunFiles {

    public static final String CONFIG = "config.json";
    public static final String RUN = "run.json";

    private RunFiles() {
    }

    /**
     * Checks output_dir and resume_from_checkpoint; writes nothing.
     *
     * @return the checkpoint folder to resume from, or null for a fresh run
     * @throws UserInputException when output_dir is a file, or a resume was asked for and there is no
     *     complete checkpoint (message: {@code resume_from_checkpoint: latest: no complete checkpoint in ...})
     */
    public static Path validate(TrainingArgs args) {
        Path out = Path.of(args.outputDir());
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserInputException("output_dir: " + out + " is a file, not a folder");
        }
        return args.resumeFromCheckpoint() == null ? null : Checkpoint.resolve(args.resumeFromCheckpoint(), out);
    }

    /** The standard head of run.json; callers add their sizes after it. */
    public static Map<String, Object> runInfo(long seed, String dataHash) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", seed);
        run.put("data_hash", dataHash);
        run.put("project_version", Version.project());
        run.put("started_at", Instant.now().toString());
        return run;
    }

    /** Creates {@code out} and writes config.json and run.json (atomically). */
    public static void start(Path out, Object config, Map<String, Object> runInfo) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
        Json.write(out.resolve(CONFIG), config);
        Json.write(out.resolve(RUN), runInfo);
    }
}
