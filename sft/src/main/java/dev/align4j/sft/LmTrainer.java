package dev.align4j.sft;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;

import dev.align4j.core.config.Interrupts;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.EvalFunction;
import dev.align4j.core.train.LossFunction;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.core.train.TrainingListener;
import dev.align4j.datasets.batch.Batch;
import dev.align4j.datasets.batch.Collator;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The causal-LM pieces SFT and pretraining share: what to train on ({@link Data}), the loss for the
 * engine ({@link #lossFunction}), the forward with the right mask ({@link #logits}) and the
 * token-weighted eval ({@link Evaluator}). The run itself is {@link LmRun}.
 */
public final class LmTrainer {

    private LmTrainer() {
    }

    /**
     * What to train on.
     *
     * @param train training examples (labels -100 where no loss)
     * @param validation held-out examples for eval_loss; may be empty (no eval)
     * @param layout batching
     * @param packLen row length when packed
     * @param dataHash content hash of the inputs, for run.json and provenance
     * @param samplePrompts held-out prompts for samples.jsonl
     */
    public record Data(List<TokenizedExample> train, List<TokenizedExample> validation,
            LmBatches.Layout layout, int packLen, String dataHash, List<Samples.Prompt> samplePrompts) {
    }

    /** Forward with the right mask, then {@link SftLoss#loss}. */
    static LossFunction<Batch> lossFunction(CausalLM model) {
        return (batch, mgr) -> {
            NDArray logits = logits(model, batch, mgr, true);
            NDArray labels = batch.toNDList(mgr).get(1);
            return StepOutput.of(SftLoss.loss(logits, labels));
        };
    }

    /**
     * Logits (B, T, V) of {@code batch}: packed rows get the block-diagonal causal mask (B, T, T)
     * and per-example positions; padded batches the padding mask (B, T).
     */
    static NDArray logits(CausalLM model, Batch batch, NDManager mgr, boolean training) {
        NDList nd = batch.toNDList(mgr);
        NDArray mask = batch.segmentIds() != null ? batch.blockCausalMask(mgr) : nd.get(2);
        return model.forward(nd.get(0), mask, nd.get(3), null, training).logits();
    }

    /** Token-weighted eval loss and its perplexity over the validation split. */
    static final class Evaluator implements EvalFunction {
        private final CausalLM model;
        private final List<TokenizedExample> examples;
        private final int batchSize;
        private final int padId;

        Evaluator(CausalLM model, List<TokenizedExample> examples, int batchSize, int padId) {
            this.model = model;
            this.examples = examples;
            this.batchSize = batchSize;
            this.padId = padId;
        }

        @Override
        public Map<String, Double> evaluate(long step, NDManager manager) {
            double sum = 0;
            long tokens = 0;
            for (int s = 0; s < examples.size(); s += batchSize) {
                Batch b = Collator.pad(examples.subList(s, Math.min(examples.size(), s + batchSize)), padId);
                try (NDManager sub = manager.newSubManager(); NDScope scope = new NDScope()) {
                    NDArray logits = logits(model, b, sub, false);
                    NDArray labels = b.toNDList(sub).get(1);
                    sum += SftLoss.lossSum(logits, labels).getFloat();
                    scope.suppressNotUsedWarning();
                }
                tokens += SftLoss.tokenCount(b.labels());
            }
            double loss = tokens == 0 ? Double.NaN : sum / tokens;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("eval_loss", loss);
            m.put("eval_perplexity", Math.exp(loss));
            m.put("eval_tokens", (double) tokens);
            return m;
        }
    }
}
