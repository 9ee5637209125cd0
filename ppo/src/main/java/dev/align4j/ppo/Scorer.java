package dev.align4j.ppo;

import dev.align4j.datasets.bundle.RewardBundle;

import java.util.ArrayList;
import java.util.List;

/** Sequence scores of (prompt, response) token pairs: the reward model, or a toy function in tests. */
@FunctionalInterface
public interface Scorer {

    /**
     * @param prompts prompt ids per row (unpadded)
     * @param responses response ids per row (EOS included when generated)
     * @return (B) raw scores
     */
    float[] score(List<int[]> prompts, List<int[]> responses);

    /** A frozen reward model scoring prompt + response, {@code batchSize} sequences at a time. */
    static Scorer of(RewardBundle rm, int batchSize) {
        return (prompts, responses) -> {
            List<int[]> seqs = new ArrayList<>(prompts.size());
            for (int i = 0; i < prompts.size(); i++) {
                int[] p = prompts.get(i);
                int[] r = responses.get(i);
                int[] s = java.util.Arrays.copyOf(p, p.length + r.length);
                System.arraycopy(r, 0, s, p.length, r.length);
                seqs.add(s);
            }
            return rm.score(seqs, batchSize);
        };
    }
}
