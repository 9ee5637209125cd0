package dev.align4j.rl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link RewardFunction} scores: B rows of prompt and response token ids, and per row the
 * prompt's reference answer when the prompts file has one (its {@code answer} field; null entries
 * otherwise), for verifiable rewards such as exact match.
 *
 * @param prompts prompt ids per row (unpadded)
 * @param responses response ids per row (EOS included when generated)
 * @param answers reference answers per row, entries may be null
 */
public record RewardInput(List<int[]> prompts, List<int[]> responses, List<String> answers) {

    public RewardInput {
        if (prompts.size() != responses.size() || answers.size() != prompts.size()) {
            throw new IllegalArgumentException("rows differ: " + prompts.size() + " prompts, " + responses.size()
                    + " responses, " + answers.size() + " answers");
        }
        prompts = Collections.unmodifiableList(new ArrayList<>(prompts));
        responses = Collections.unmodifiableList(new ArrayList<>(responses));
        answers = Collections.unmodifiableList(new ArrayList<>(answers));
    }

    /** Rows without reference answers. */
    public static RewardInput of(List<int[]> prompts, List<int[]> responses) {
        return new RewardInput(prompts, responses, Collections.nCopies(prompts.size(), null));
    }

    public int size() {
        return prompts.size();
    }
}
