package dev.align4j.core.tokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Text to token ids and back. Special tokens (bos, eos, pad) have fixed ids inside the vocabulary;
 * {@link #encode} never adds them, callers add bos/eos where a format needs them. A special token's
 * literal text inside {@code text} (for example {@code <|im_start|>} written by a chat template) is
 * mapped to its id, the way Hugging Face tokenizers treat added tokens.
 */
public interface Tokenizer {

    /** Token ids of {@code text}, without special tokens. */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens are skipped. */
    String decode(int[] ids);

    /** Number of ids, special tokens included; every id is in {@code [0, vocabSize)}. */
    int vocabSize();

    int bosId();

    int eosId();

    int padId();

    /** Ids of every special token (bos, eos, pad and chat markers, if any). */
    List<Integer> specialIds();

    /** Writes what {@link Tokenizers#load(Path)} needs to load this tokenizer again into {@code dir}. */
    void save(Path dir);

    /**
     * Text of the special token with this id ({@code "<|eos|>"}), empty when {@code id} is not
     * special. Used to show specials when rendering examples for people.
     */
    default Optional<String> specialToken(int id) {
        return Optional.empty();
    }
}
