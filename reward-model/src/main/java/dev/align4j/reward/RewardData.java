package dev.align4j.reward;

import ai.djl.ndarray.NDManager;
import dev.align4j.core.train.BatchSource;
import dev.align4j.core.train.DataOrder;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import java.util.ArrayList;
import java.util.List;

/** Tokenized pairs as {@link RewardBatch}es: a seeded shuffle per epoch, the last batch may be short. */
public final class RewardData implements BatchSource<RewardBatch> {

    private final List<TokenizedPreference> pairs;
    private final int batchSize;
    private final int padId;
    private final boolean useMargin;
    private final String dataHash;

    public RewardData(List<TokenizedPreference> pairs, int batchSize, int padId, boolean useMargin, String dataHash) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no training pairs");
        }
        this.pairs = List.copyOf(pairs);
        this.batchSize = batchSize;
        this.padId = padId;
        this.useMargin = useMargin;
        this.dataHash = dataHash;
    }

    @Override
    public long size() {
        return pairs.size();
    }

    @Override
    public long batchesPerEpoch() {
        return (pairs.size() + batchSize - 1) / batchSize;
    }

    @Override
    public RewardBatch batch(long seed, long epoch, long index, NDManager manager) {
        int[] order = DataOrder.permutation(seed, epoch, pairs.size());
        int from = (int) index * batchSize;
        int to = Math.min(pairs.size(), from + batchSize);
        List<TokenizedPreference> part = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            part.add(pairs.get(order[i]));
        }
        return RewardBatch.of(part, padId, useMargin, manager);
    }

    @Override
    public long tokenCount(RewardBatch batch) {
        return batch.tokens();
    }

    @Override
    public String dataHash() {
        return dataHash;
    }
}
