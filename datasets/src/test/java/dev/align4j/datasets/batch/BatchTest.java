package dev.align4j.datasets.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.align4j.datasets.tokenize.TokenizedExample;
import dev.align4j.datasets.tokenize.TokenizedPreference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {

    private static final int I = TokenizedExample.IGNORE;
    private static final int PAD = 0;

    private static TokenizedExample ex(int[] ids, int[] labels) {
        return new TokenizedExample(null, ids, labels);
    }

    @Test
    void rightPaddingForTraining() {
        Batch b = Collator.pad(List.of(ex(new int[] {5, 6, 7}, new int[] {I, 6, 7}), ex(new int[] {8}, new int[] {8})), PAD);
        assertThat(b.inputIds()).isDeepEqualTo(new int[][] {{5, 6, 7}, {8, PAD, PAD}});
        assertThat(b.labels()).isDeepEqualTo(new int[][] {{I, 6, 7}, {8, I, I}});
        assertThat(b.attentionMask()).isDeepEqualTo(new int[][] {{1, 1, 1}, {1, 0, 0}});
        assertThat(b.positionIds()).isDeepEqualTo(new int[][] {{0, 1, 2}, {0, 0, 0}});
        assertThat(b.trainedTokens()).isEqualTo(3);
    }

    @Test
    void leftPaddedPromptsAndMultipleOf() {
        Batch b = Collator.padPrompts(List.of(new int[] {1, 2}, new int[] {3}), PAD);
        assertThat(b.inputIds()).isDeepEqualTo(new int[][] {{1, 2}, {PAD, 3}});
        assertThat(b.attentionMask()).isDeepEqualTo(new int[][] {{1, 1}, {0, 1}});
        assertThat(b.positionIds()).isDeepEqualTo(new int[][] {{0, 1}, {0, 0}});
        assertThat(Collator.pad(List.of(ex(new int[] {1, 2, 3}, new int[] {1, 2, 3})), PAD, Collator.Padding.RIGHT, 8).seqLen())
                .isEqualTo(8);
    }

    @Test
    void packingRestartsPositionsAndMasksBlockDiagonally() {
        List<TokenizedExample> xs = List.of(ex(new int[] {1, 2, 3}, new int[] {I, 2, 3}), ex(new int[] {4, 5}, new int[] {4, 5}),
                ex(new int[] {6, 7, 8, 9}, new int[] {6, 7, 8, 9}));
        List<Batch> batches = Packer.pack(xs, 6, 8, PAD);
        assertThat(batches).hasSize(1);
        Batch b = batches.get(0);
        assertThat(b.inputIds()).isDeepEqualTo(new int[][] {{1, 2, 3, 4, 5, PAD}, {6, 7, 8, 9, PAD, PAD}});
        // the first token of each packed example carries no label: it would be predicted across the seam
        assertThat(b.labels()).isDeepEqualTo(new int[][] {{I, 2, 3, I, 5, I}, {I, 7, 8, 9, I, I}});
        assertThat(b.positionIds()).isDeepEqualTo(new int[][] {{0, 1, 2, 0, 1, 0}, {0, 1, 2, 3, 0, 0}});
        assertThat(b.segmentIds()).isDeepEqualTo(new int[][] {{1, 1, 1, 2, 2, 0}, {1, 1, 1, 1, 0, 0}});
        boolean[][] m = b.blockCausalMask()[0];
        assertThat(m[2]).containsExactly(true, true, true, false, false, false);
        assertThat(m[3]).containsExactly(false, false, false, true, false, false);
        assertThat(m[4]).containsExactly(false, false, false, true, true, false);
        assertThat(m[5]).containsExactly(false, false, false, false, false, false);
    }

    @Test
    void groupByLengthIsDeterministicAndGroupsSimilarLengths() {
        List<TokenizedExample> xs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int n = 1 + (i * 37) % 50;
            xs.add(ex(new int[n], new int[n]));
        }
        List<List<TokenizedExample>> a = LengthGrouper.batches(xs, TokenizedExample::length, 4, 16, 7);
        List<List<TokenizedExample>> b = LengthGrouper.batches(xs, TokenizedExample::length, 4, 16, 7);
        assertThat(a).isEqualTo(b);
        assertThat(a).hasSize(16);
        int grouped = a.stream().mapToInt(g -> spread(g)).sum();
        int random = LengthGrouper.shuffledBatches(xs, 4, 7).stream().mapToInt(BatchTest::spread).sum();
        assertThat(grouped).isLessThan(random / 2);
    }

    private static int spread(List<TokenizedExample> g) {
        return g.stream().mapToInt(TokenizedExample::length).max().orElse(0)
                - g.stream().mapToInt(TokenizedExample::length).min().orElse(0);
    }

    @Test
    void preferenceBatchMasksThePrompt() {
        PreferenceBatch pb = PreferenceBatch.collate(List.of(new TokenizedPreference(null, new int[] {1, 2},
                new int[] {3, 9}, new int[] {4, 5, 9}, 2.0)), PAD);
        assertThat(pb.chosen().labels()).isDeepEqualTo(new int[][] {{I, I, 3, 9}});
        assertThat(pb.rejected().inputIds()).isDeepEqualTo(new int[][] {{1, 2, 4, 5, 9}});
        assertThat(pb.rejected().labels()).isDeepEqualTo(new int[][] {{I, I, 4, 5, 9}});
        assertThat(pb.promptLengths()).containsExactly(2);
        assertThat(pb.margins()).containsExactly(2f);
    }

    @Test
    void toNDListGivesNamedInt64Arrays() {
        Batch b = Packer.pack(List.of(ex(new int[] {1, 2}, new int[] {1, 2}), ex(new int[] {3}, new int[] {3})), 4, 1, PAD).get(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = b.toNDList(manager);
            assertThat(list).extracting(a -> a.getName())
                    .containsExactly("input_ids", "labels", "attention_mask", "position_ids", "segment_ids");
            assertThat(list.get(0).getDataType()).isEqualTo(DataType.INT64);
            assertThat(list.get(0).getShape()).isEqualTo(new Shape(1, 4));
            assertThat(list.get(1).toLongArray()).containsExactly(I, 2, I, I);
            var mask = b.blockCausalMask(manager);
            assertThat(mask.getShape()).isEqualTo(new Shape(1, 4, 4));
            assertThat(mask.toBooleanArray()).containsExactly(
                    true, false, false, false,
                    true, true, false, false,
                    false, false, true, false,
                    false, false, false, false);
        }
    }
}
