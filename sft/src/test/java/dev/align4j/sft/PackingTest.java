package dev.align4j.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import dev.align4j.core.model.CausalLM;
import dev.align4j.datasets.batch.Batch;
import dev.align4j.datasets.batch.Collator;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.junit.jupiter.api.Test;

import java.util.List;

/** Packed rows with the block-diagonal mask compute what the examples compute alone. */
class PackingTest {

    @Test
    void packedLossEqualsPaddedLossOfTheSameExamples() {
        List<TokenizedExample> xs = TinyRuns.examples(5, 11);
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM model = TinyRuns.model(m, 2);
            Batch padded = Collator.pad(xs, 0);
            double want = SftLoss.loss(LmTrainer.logits(model, padded, m, false), padded.toNDList(m).get(1)).getFloat();
            LmBatches packed = new LmBatches(xs, 8, 0, LmBatches.Layout.PACKED, 16, 3, "h");
            assertThat(packed.batchesPerEpoch()).isEqualTo(1);
            Batch rows = packed.host(7, 0, 0);
            assertThat(rows.batchSize()).isLessThan(xs.size()); // several examples share a row
            NDArray logits = LmTrainer.logits(model, rows, m, false);
            double got = SftLoss.loss(logits, rows.toNDList(m).get(1)).getFloat();
            assertThat(got).isCloseTo(want, within(1e-5));
            assertThat(SftLoss.tokenCount(rows.labels())).isEqualTo(SftLoss.tokenCount(padded.labels()));
        }
    }

    @Test
    void withoutTheBlockMaskExamplesWouldSeeEachOther() {
        List<TokenizedExample> xs = TinyRuns.examples(4, 12);
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLM model = TinyRuns.model(m, 2);
            Batch rows = new LmBatches(xs, 8, 0, LmBatches.Layout.PACKED, 16, 3, "h").host(7, 0, 0);
            Batch unmasked = new Batch(rows.inputIds(), rows.labels(), rows.attentionMask(), rows.positionIds(), null);
            double masked = SftLoss.loss(LmTrainer.logits(model, rows, m, false), rows.toNDList(m).get(1)).getFloat();
            double leaky = SftLoss.loss(LmTrainer.logits(model, unmasked, m, false), rows.toNDList(m).get(1)).getFloat();
            assertThat(Math.abs(masked - leaky)).isGreaterThan(1e-4);
        }
    }
}
