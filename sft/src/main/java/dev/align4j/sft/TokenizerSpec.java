package dev.align4j.sft;

import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.BpeTokenizer;
import dev.align4j.core.tokenizer.BpeTrainer;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.tokenizer.Tokenizers;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The tokenizer of a model trained from scratch: {@code byte}, {@code bpe:<vocab>} (trained on the
 * run's own training text, so it needs no file of its own) or a tokenizer folder.
 *
 * @param kind which of the three
 * @param bpeVocab target vocabulary of {@code bpe:<vocab>}, specials included; 0 otherwise
 * @param folder the tokenizer folder, or null
 */
public record TokenizerSpec(Kind kind, int bpeVocab, Path folder) {

    private static final Logger LOG = LogManager.getLogger(TokenizerSpec.class);

    /** byte, bpe:N or a folder. */
    public enum Kind { BYTE, BPE, FOLDER }

    /** Parses the {@code tokenizer} setting; a folder must exist. */
    public static TokenizerSpec parse(String spec) {
        String s = spec.trim();
        if (s.equals("byte")) {
            return new TokenizerSpec(Kind.BYTE, 0, null);
        }
        if (s.startsWith("bpe:")) {
            int n;
            try {
                n = Integer.parseInt(s.substring(4).trim());
            } catch (NumberFormatException e) {
                throw SftConfig.bad("tokenizer", "expected bpe:<vocab size>, got '" + spec + "'");
            }
            new BpeTrainer(n); // checks the size
            return new TokenizerSpec(Kind.BPE, n, null);
        }
        Path dir = Path.of(s);
        if (!Files.isDirectory(dir)) {
            throw SftConfig.bad("tokenizer", "'" + spec + "' is not byte, bpe:<vocab> or a tokenizer folder");
        }
        return new TokenizerSpec(Kind.FOLDER, 0, dir);
    }

    /**
     * The tokenizer; {@code texts} is read only for {@code bpe:<vocab>} (the training text, so the
     * validation split never shapes the vocabulary).
     */
    public Tokenizer resolve(Supplier<Iterable<String>> texts) {
        return switch (kind) {
            case BYTE -> new ByteTokenizer();
            case FOLDER -> Tokenizers.load(folder);
            case BPE -> {
                long t0 = System.nanoTime();
                BpeTokenizer tok = new BpeTrainer(bpeVocab).train(texts.get());
                if (tok.mergeCount() == 0 && bpeVocab > BpeTrainer.MIN_VOCAB) {
                    throw SftConfig.bad("tokenizer", "bpe:" + bpeVocab + ": the training text yields no"
                            + " merges (no pair of adjacent symbols occurs twice); give more text or use"
                            + " tokenizer: byte");
                }
                LOG.info("trained a BPE tokenizer on the training text: {} tokens (asked {}) in {} ms",
                        tok.vocabSize(), bpeVocab, (System.nanoTime() - t0) / 1_000_000);
                if (tok.vocabSize() < bpeVocab) {
                    LOG.info("the text ran out of pairs seen twice before vocab {}", bpeVocab);
                }
                yield tok;
            }
        };
    }
}
