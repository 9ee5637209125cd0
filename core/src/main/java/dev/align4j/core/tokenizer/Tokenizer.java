package dev.align4j.core.tokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * Text to token ids and back. Special tokens (bos, eos, pad) have fixed ids inside the vocabulary;
 * {@link #encode} never adds them, callers add bos/eos where a format needs them.
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
}
