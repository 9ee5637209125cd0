package dev.align4j.core.run;

import dev.align4j.core.metrics.TensorBoardWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * TensorBoard event files ({@code events.out.tfevents.*}) in the run folder: every logged line as
 * scalars, under the tags TRL users know. Training values go under {@code train/}, eval values
 * ({@code eval_*}) under {@code eval/}; align4j's short names are mapped to TRL's
 * ({@code lr} -> {@code learning_rate}, PPO's {@code score} -> {@code objective/scores}, {@code kl}
 * -> {@code objective/kl}, ...), names with a slash ({@code rewards/chosen}) are kept.
 * metrics.jsonl keeps align4j's own names.
 */
public final class TensorBoardSink implements MetricsSink {

    private static final Map<String, String> TRL_NAMES = Map.of(
            "lr", "learning_rate",
            "score", "objective/scores",
            "kl", "objective/kl",
            "entropy", "objective/entropy",
            "policy_loss", "loss/policy_avg",
            "value_loss", "loss/value_avg");

    private final TensorBoardWriter writer;

    public TensorBoardSink(Path runDir) {
        writer = new TensorBoardWriter(runDir);
    }

    /** The tag for metric {@code key}: {@code train/<trl name>} or {@code eval/<name>}. */
    static String tag(String key) {
        if (key.startsWith("eval_")) {
            return "eval/" + key.substring("eval_".length());
        }
        return "train/" + TRL_NAMES.getOrDefault(key, key);
    }

    @Override
    public void log(long step, Map<String, Double> metrics) {
        metrics.forEach((k, v) -> {
            if (v != null && !k.equals("step") && !k.equals("epoch")) {
                writer.addScalar(tag(k), step, v);
            }
        });
        if (metrics.containsKey("epoch")) {
            writer.addScalar("train/epoch", step, metrics.get("epoch"));
        }
    }

    @Override
    public void sync() {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }
}
