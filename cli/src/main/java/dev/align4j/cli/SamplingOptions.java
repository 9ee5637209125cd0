package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The sampling flags shared by {@code generate} and {@code chat}; defaults are
 * {@link SamplingParams}' own except max_new_tokens. Use as a picocli {@code @Mixin}.
 */
public final class SamplingOptions {

    @Option(names = "--temperature", defaultValue = "1.0", description = "0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the k most likely tokens; 0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus sampling; 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--repetition-penalty", defaultValue = "1.0", description = "CTRL penalty; 1 = off (default: ${DEFAULT-VALUE})")
    double repetitionPenalty;

    @Option(names = "--max-new-tokens", defaultValue = "128", description = "(default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--min-new-tokens", defaultValue = "0", description = "no EOS/stop before this many (default: ${DEFAULT-VALUE})")
    int minNewTokens;

    @Option(names = "--stop", paramLabel = "STR", description = "stop when the output contains STR (repeatable)")
    List<String> stop = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "base seed; request i samples with a seed mixed from it and i (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-cache", description = "recompute the whole sequence at every step (same tokens, slower)")
    boolean noCache;

    /**
     * The parameters these flags give, without stop ids (see {@link ChatPrompts#withStops}); a bad
     * value is a {@link UserInputException} naming the flag.
     */
    SamplingParams.Builder builder() {
        SamplingParams.Builder b = SamplingParams.builder().temperature(temperature).topK(topK).topP(topP)
                .repetitionPenalty(repetitionPenalty).maxNewTokens(maxNewTokens).minNewTokens(minNewTokens)
                .stopStrings(stop).seed(seed).useCache(!noCache);
        check(b);
        return b;
    }

    /** Builds once to run the record's checks, turning their message into a flag error. */
    static SamplingParams check(SamplingParams.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            // the record names the snake_case field; the flag is the same with dashes
            String msg = e.getMessage().replace('_', '-').replace("stop-strings", "stop");
            throw new UserInputException("--" + msg, e);
        }
    }
}
