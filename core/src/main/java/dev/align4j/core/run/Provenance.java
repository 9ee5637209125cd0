package dev.align4j.core.run;

import dev.align4j.core.Version;
import dev.align4j.core.io.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code provenance.json}, with the same keys for every method (written in the run folder and in
 * {@code model/}). The fixed keys, in this order, always present (null when not known):
 *
 * <ul>
 *   <li>{@code method}: the training method, {@code pretrain}, {@code sft}, {@code reward},
 *       {@code dpo} or {@code ppo};</li>
 *   <li>{@code peft}: how the weights were trained, {@code full}, {@code freeze}, {@code bitfit},
 *       {@code lora} or {@code qlora};</li>
 *   <li>{@code base_model}: the model folder training started from (null for a fresh model);</li>
 *   <li>{@code data}: the data files; {@code data_hash}: their content hash (as in run.json);</li>
 *   <li>{@code seed}, {@code steps} (PPO: iterations), {@code final_metrics},
 *       {@code best_checkpoint} (null without eval), {@code project_version}, {@code config}
 *       (the resolved config, as config.json).</li>
 * </ul>
 *
 * Then method-specific keys ({@link Builder#put}), e.g. DPO's {@code loss_type}, PPO's
 * {@code reward_model}. No time stamp: the same run gives the same bytes (run.json has the time).
 */
public final class Provenance {

    private final Map<String, Object> map;

    private Provenance(Map<String, Object> map) {
        this.map = map;
    }

    public static Builder builder(String method) {
        return new Builder(method);
    }

    /** The keys in order, for {@code ModelBundle.save(dir, provenance)}. */
    public Map<String, Object> asMap() {
        return map;
    }

    /** Writes {@code dir/provenance.json} atomically. */
    public void write(Path dir) {
        Json.write(dir.resolve(FILE), map);
    }

    public static final String FILE = "provenance.json";

    /** Fills the fixed keys ({@code set*}) and the method's own ({@link #put}). */
    public static final class Builder {
        private final Map<String, Object> fixed = new LinkedHashMap<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(String method) {
            for (String k : List.of("method", "peft", "base_model", "data", "data_hash", "seed", "steps",
                    "final_metrics", "best_checkpoint", "project_version", "config")) {
                fixed.put(k, null);
            }
            fixed.put("method", method);
            fixed.put("project_version", Version.project());
        }

        public Builder setPeft(String peft) { fixed.put("peft", peft); return this; }

        public Builder setBaseModel(String dir) { fixed.put("base_model", dir); return this; }

        public Builder setData(List<String> files, String hash) {
            fixed.put("data", files);
            fixed.put("data_hash", hash);
            return this;
        }

        public Builder setSeed(long seed) { fixed.put("seed", seed); return this; }

        public Builder setSteps(long steps) { fixed.put("steps", steps); return this; }

        public Builder setFinalMetrics(Map<String, Double> metrics) {
            fixed.put("final_metrics", new LinkedHashMap<>(metrics));
            return this;
        }

        public Builder setBestCheckpoint(Path dir) {
            fixed.put("best_checkpoint", dir == null ? null : dir.toString());
            return this;
        }

        public Builder setConfig(Object config) { fixed.put("config", config); return this; }

        /** A method-specific key; the fixed ones cannot be overwritten this way. */
        public Builder put(String key, Object value) {
            if (fixed.containsKey(key)) {
                throw new IllegalArgumentException("'" + key + "' is a fixed provenance key: use its setter");
            }
            extra.put(key, value);
            return this;
        }

        public Provenance build() {
            Map<String, Object> all = new LinkedHashMap<>(fixed);
            all.putAll(extra);
            return new Provenance(all);
        }
    }
}
