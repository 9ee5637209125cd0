package dev.align4j.datasets.batch;

import dev.align4j.datasets.tokenize.TokenizedExample;
import dev.align4j.datasets.tokenize.TokenizedPreference;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of preference pairs as two right-padded batches of {@code prompt + reply}, labels -100 on
 * the prompt, so that the summed log-probability of each reply is a masked sum over labels.
 *
 * @param promptLengths tokens of each pair's prompt
 * @param margins each pair's margin (0 when the data gave none)
 */
public record PreferenceBatch(Batch chosen, Batch rejected, int[] promptLengths, float[] margins) {

    public static PreferenceBatch collate(List<TokenizedPreference> pairs, int padId) {
        List<TokenizedExample> c = new ArrayList<>(pairs.size());
        List<TokenizedExample> r = new ArrayList<>(pairs.size());
        int[] promptLengths = new int[pairs.size()];
        float[] margins = new float[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            TokenizedPreference p = pairs.get(i);
            c.add(join(p, p.chosenIds()));
            r.add(join(p, p.rejectedIds()));
            promptLengths[i] = p.promptLength();
            margins[i] = p.margin() == null ? 0f : p.margin().floatValue();
        }
        return new PreferenceBatch(Collator.pad(c, padId), Collator.pad(r, padId), promptLengths, margins);
    }

    private static TokenizedExample join(TokenizedPreference p, int[] reply) {
        int n = p.promptLength() + reply.length;
        int[] ids = new int[n];
        int[] labels = new int[n];
        System.arraycopy(p.promptIds(), 0, ids, 0, p.promptLength());
        System.arraycopy(reply, 0, ids, p.promptLength(), reply.length);
        for (int i = 0; i < n; i++) {
            labels[i] = i < p.promptLength() ? TokenizedExample.IGNORE : ids[i];
        }
        return new TokenizedExample(p.source(), ids, labels);
    }
}
