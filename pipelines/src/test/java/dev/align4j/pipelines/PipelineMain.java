package dev.align4j.pipelines;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a pipeline in a child JVM for {@link PipelineRunnerTest}: FILE OUTPUT_DIR [STAGE.KEY=VALUE ...]. */
public final class PipelineMain {

    private PipelineMain() {
    }

    public static void main(String[] args) {
        Map<String, String> sets = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            sets.put(kv[0], kv[1]);
        }
        Pipeline p = PipelineLoader.load(Path.of(args[0]), Path.of(args[1]), sets);
        PipelineRunner.run(p, null, PipelineListener.NONE);
        System.exit(0);
    }
}
