package dev.align4j.core.tokenizer;

import java.util.List;
import java.util.Map;

/**
 * The special tokens of align4j's own tokenizers and the splitting of text on their literal forms.
 * Every tokenizer trained or built here carries the same five, so templates can rely on them.
 */
public final class SpecialTokens {

    public static final String BOS = "<|bos|>";
    public static final String EOS = "<|eos|>";
    public static final String PAD = "<|pad|>";
    /** ChatML turn markers, used by the chatml template. */
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /** The specials in id order (after the byte and merge ids). */
    public static final List<String> DEFAULTS = List.of(BOS, EOS, PAD, IM_START, IM_END);

    private SpecialTokens() {
    }

    /** Receives the pieces of a text split on special tokens, in order. */
    interface Sink {
        void text(String piece);

        void special(int id);
    }

    /**
     * Splits {@code text} on the leftmost occurrence of any special (longest on a tie), the way
     * Hugging Face matches added tokens; plain pieces and special ids go to {@code sink} in order.
     */
    static void split(String text, Map<String, Integer> specials, Sink sink) {
        int pos = 0;
        while (pos < text.length()) {
            int best = -1;
            String bestTok = null;
            // a handful of specials: one indexOf each beats building an automaton
            for (String tok : specials.keySet()) {
                int at = text.indexOf(tok, pos);
                if (at >= 0 && (best < 0 || at < best || (at == best && tok.length() > bestTok.length()))) {
                    best = at;
                    bestTok = tok;
                }
            }
            if (best < 0) {
                sink.text(text.substring(pos));
                return;
            }
            if (best > pos) {
                sink.text(text.substring(pos, best));
            }
            sink.special(specials.get(bestTok));
            pos = best + bestTok.length();
        }
    }
}
