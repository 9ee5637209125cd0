package dev.align4j.pipelines.stage;

import dev.align4j.core.config.Interrupts;
import dev.align4j.sft.LmTrainer;
import java.util.Locale;

/** The outcome of an SFT or pretraining run, as a stage outcome. */
final class LmOutcomes {

    private LmOutcomes() {
    }

    static StageOutcome of(String what, LmTrainer.Outcome o) {
        boolean stopped = Interrupts.requested();
        String summary = String.format(Locale.ROOT, "%s: %d steps, last loss %.4f%s", what, o.result().steps(),
                o.result().lastLoss(), o.metrics().containsKey("eval_loss")
                        ? String.format(Locale.ROOT, ", eval_loss %.4f", o.metrics().get("eval_loss")) : "");
        return new StageOutcome(stopped, o.result().steps(), summary, o.metrics());
    }
}
