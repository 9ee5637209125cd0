package dev.align4j.rl;

import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;

/**
 * Whether two tokenizers give the same ids: a reward model reads the policy's token ids directly, so
 * both must share one tokenizer. Compares the vocabulary sizes and the ids of a few sample texts
 * (the caller's, e.g. rendered prompts, plus {@link #SAMPLES}).
 */
public final class TokenizerCheck {

    /** Texts every check encodes: words, digits and arithmetic, punctuation, spaces. */
    public static final List<String> SAMPLES = List.of("the movie was great , i loved it .", "12+7=19 and 30-4=26",
            "What is it?  Hello, World!\n");

    private TokenizerCheck() {
    }

    /** True when both tokenizers have one vocabulary size and encode every text (and {@link #SAMPLES}) alike. */
    public static boolean same(Tokenizer a, Tokenizer b, List<String> texts) {
        if (a.vocabSize() != b.vocabSize()) {
            return false;
        }
        for (List<String> list : List.of(SAMPLES, texts)) {
            for (String t : list) {
                if (!Arrays.equals(a.encode(t), b.encode(t))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Throws when {@code other} does not match {@code policy}.
     *
     * @param what names the other model in the message, e.g. {@code "reward_funcs[0]: reward-model:rm"}
     */
    public static void require(Tokenizer policy, Tokenizer other, List<String> texts, String what) {
        if (!same(policy, other, texts)) {
            throw new UserInputException(what + " uses another tokenizer than the policy (vocab " + other.vocabSize()
                    + " vs " + policy.vocabSize() + ", or different ids for the same text); it scores the policy's "
                    + "token ids, so train the reward model from the same SFT model");
        }
    }
}
