package dev.align4j.pipelines.stage;

import dev.align4j.core.config.ConfigLoader;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** The config keys of a stage kind: its records' own keys, less those the pipeline sets itself. */
final class StageKeys {

    /** Keys the pipeline owns: the stage folder, and resuming (decided from the lock file). */
    static final Set<String> PIPELINE_OWNED = Set.of("output_dir", "resume_from_checkpoint");

    private StageKeys() {
    }

    static Set<String> of(Class<?>... types) {
        Set<String> keys = new LinkedHashSet<>();
        for (Class<?> t : types) {
            keys.addAll(ConfigLoader.keys(t));
        }
        keys.removeAll(PIPELINE_OWNED);
        return Collections.unmodifiableSet(keys);
    }
}
