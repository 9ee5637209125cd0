package dev.align4j.sft;

import ai.djl.ndarray.NDManager;

import dev.align4j.core.train.BatchSource;
import dev.align4j.core.train.DataOrder;
import dev.align4j.datasets.batch.Batch;
import dev.align4j.datasets.batch.Collator;
import dev.align4j.datasets.batch.LengthGrouper;
import dev.align4j.datasets.batch.Packer;
import dev.align4j.datasets.tokenize.TokenizedExample;

import java.util.ArrayList;
import java.util.List;

/**
 * Training batches of tokenized examples for causal-LM training, in one of three layouts:
 *
 * <ul>
 *   <li>plain: a seeded shuffle per epoch, each batch right-padded to its longest example;</li>
 *   <li>group_by_length: {@link LengthGrouper}'s mega-batches (50 batches, as HF's
 *       LengthGroupedSampler), so a batch wastes little compute on padding;</li>
 *   <li>packing: examples are packed once into rows of {@code packLen} tokens ({@link Packer}, in
 *       a seeded order that does not change with the epoch, so the number of rows is fixed) and the
 *       rows are shuffled per epoch. Rows carry segment and position ids; the loss function turns
 *       them into a block-diagonal causal mask.</li>
 * </ul>
 *
 * Every batch is a pure function of (seed, epoch, index), as the engine's resume needs; the last
 * epoch's batch list is memoised because the engine asks for its batches in order.
 */
public final class LmBatches implements BatchSource<Batch> {

    /** Mega-batch factor of group_by_length (Hugging Face's LengthGroupedSampler uses 50). */
    static final int MEGA_FACTOR = 50;

    /** How batches are formed. */
    public enum Layout { PLAIN, GROUP_BY_LENGTH, PACKED }

    private final List<TokenizedExample> examples;
    private final int batchSize;
    private final int padId;
    private final Layout layout;
    private final String dataHash;
    private final List<Batch> packedRows;
    private final long perEpoch;
    private long cachedSeed;
    private long cachedEpoch = -1;
    private List<Batch> cached;

    /**
     * @param packLen row length for {@link Layout#PACKED} (every example must fit), else ignored
     * @param packSeed seed of the one packing order
     */
    public LmBatches(List<TokenizedExample> examples, int batchSize, int padId, Layout layout,
            int packLen, long packSeed, String dataHash) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.batchSize = batchSize;
        this.padId = padId;
        this.layout = layout;
        this.dataHash = dataHash;
        if (layout == Layout.PACKED) {
            int[] order = DataOrder.permutation(packSeed, -1, examples.size());
            List<TokenizedExample> shuffled = new ArrayList<>(order.length);
            for (int i : order) {
                shuffled.add(examples.get(i));
            }
            packedRows = Packer.pack(shuffled, packLen, 1, padId);
            perEpoch = (packedRows.size() + batchSize - 1) / batchSize;
        } else {
            packedRows = null;
            perEpoch = layout == Layout.GROUP_BY_LENGTH
                    ? groups(0, 0).size()
                    : (examples.size() + batchSize - 1) / batchSize;
        }
    }

    @Override
    public long size() {
        return examples.size();
    }

    @Override
    public long batchesPerEpoch() {
        return perEpoch;
    }

    @Override
    public Batch batch(long seed, long epoch, long index, NDManager manager) {
        return host(seed, epoch, index);
    }

    /** The batch as host arrays (the loss function uploads it). */
    public synchronized Batch host(long seed, long epoch, long index) {
        if (cached == null || cachedSeed != seed || cachedEpoch != epoch) {
            cached = epochBatches(seed, epoch);
            cachedSeed = seed;
            cachedEpoch = epoch;
        }
        return cached.get((int) index);
    }

    private List<Batch> epochBatches(long seed, long epoch) {
        List<Batch> out = new ArrayList<>();
        switch (layout) {
            case PLAIN -> {
                int[] order = DataOrder.permutation(seed, epoch, examples.size());
                for (int s = 0; s < order.length; s += batchSize) {
                    List<TokenizedExample> xs = new ArrayList<>();
                    for (int k = s; k < Math.min(order.length, s + batchSize); k++) {
                        xs.add(examples.get(order[k]));
                    }
                    out.add(Collator.pad(xs, padId));
                }
            }
            case GROUP_BY_LENGTH -> {
                for (List<TokenizedExample> g : groups(seed, epoch)) {
                    out.add(Collator.pad(g, padId));
                }
            }
            case PACKED -> {
                int[] order = DataOrder.permutation(seed, epoch, packedRows.size());
                for (int s = 0; s < order.length; s += batchSize) {
                    List<Batch> rows = new ArrayList<>();
                    for (int k = s; k < Math.min(order.length, s + batchSize); k++) {
                        rows.add(packedRows.get(order[k]));
                    }
                    out.add(stackRows(rows));
                }
            }
        }
        return out;
    }

    private List<List<TokenizedExample>> groups(long seed, long epoch) {
        return LengthGrouper.batches(examples, TokenizedExample::length, batchSize, MEGA_FACTOR,
                DataOrder.mix(seed, epoch));
    }

    /** One batch from single-row packed batches of equal length. */
    static Batch stackRows(List<Batch> rows) {
        int b = rows.size();
        int[][] ids = new int[b][];
        int[][] labels = new int[b][];
        int[][] mask = new int[b][];
        int[][] pos = new int[b][];
        int[][] seg = new int[b][];
        for (int r = 0; r < b; r++) {
            Batch row = rows.get(r);
            ids[r] = row.inputIds()[0];
            labels[r] = row.labels()[0];
            mask[r] = row.attentionMask()[0];
            pos[r] = row.positionIds()[0];
            seg[r] = row.segmentIds()[0];
        }
        return new Batch(ids, labels, mask, pos, seg);
    }

    @Override
    public long tokenCount(Batch batch) {
        // tokens processed (padding excluded), the usual meaning of tokens/s; loss tokens are fewer
        long n = 0;
        for (int[] row : batch.attentionMask()) {
            for (int m : row) {
                n += m;
            }
        }
        return n;
    }

    @Override
    public String dataHash() {
        return dataHash;
    }
}
