package dev.align4j.core.tokenizer;

import dev.align4j.core.UserInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Trains a byte-level BPE ({@link BpeTokenizer}) on local text.
 *
 * <p>Words (pre-tokens) are counted once into a frequency table; pair counts are then kept over the
 * distinct words, weighted by frequency, and after each merge only the words that contain the merged
 * pair are rewritten and their pair counts adjusted. A max-heap with lazy deletion (stale entries are
 * re-checked against the live count when popped) picks the most frequent pair, ties broken by the
 * smaller (left, right) ids so training is deterministic. Cost is proportional to the number of
 * affected words per merge, not to the corpus, so ~2 MB trains in seconds.
 */
public final class BpeTrainer {

    private static final Logger LOG = LogManager.getLogger(BpeTrainer.class);

    /** The smallest vocabulary: the 256 bytes and the special tokens, no merge. */
    public static final int MIN_VOCAB = 256 + SpecialTokens.DEFAULTS.size();

    private final int vocabSize;
    private final int minFrequency;

    /**
     * @param vocabSize target vocabulary size, specials included; at least 256 + 5
     * @param minFrequency a pair seen fewer times is never merged (training then stops early, with a
     *     smaller vocabulary than asked for); 2 keeps one-off pairs out
     */
    public BpeTrainer(int vocabSize, int minFrequency) {
        int min = MIN_VOCAB;
        if (vocabSize < min) {
            throw new UserInputException("vocab size " + vocabSize + " is below the minimum " + min
                    + " (256 bytes + " + SpecialTokens.DEFAULTS.size() + " special tokens)");
        }
        if (minFrequency < 1) {
            throw new UserInputException("min frequency " + minFrequency + " must be at least 1");
        }
        this.vocabSize = vocabSize;
        this.minFrequency = minFrequency;
    }

    public BpeTrainer(int vocabSize) {
        this(vocabSize, 2);
    }

    /**
     * Trains on the UTF-8 text files {@code files}, each read whole. Refuses, naming the file, a
     * folder, a missing or empty file, invalid UTF-8 (with its line), and text that yields no merge at
     * all when merges were asked for (the result would be the byte tokenizer under another name).
     */
    public BpeTokenizer trainOnFiles(List<Path> files) {
        Map<String, long[]> words = new HashMap<>();
        for (Path f : files) {
            String text = readUtf8(f);
            if (text.isBlank()) {
                throw new UserInputException(f + ": " + (text.isEmpty() ? "empty file" : "only whitespace")
                        + "; a tokenizer needs text to learn merges from");
            }
            countWords(text, words);
        }
        BpeTokenizer tok = train(words);
        if (tok.mergeCount() == 0 && vocabSize > MIN_VOCAB) {
            String names = String.join(", ", files.stream().map(Path::toString).toList());
            throw new UserInputException(names + ": the text yields no merges (no pair of adjacent"
                    + " symbols occurs " + minFrequency + " or more times); give more text or a lower"
                    + " minimum frequency");
        }
        return tok;
    }

    /** The file as text; invalid UTF-8 is refused with the line of the first bad byte. */
    static String readUtf8(Path f) {
        if (Files.isDirectory(f)) {
            throw new UserInputException(f + ": is a folder, expected a text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new UserInputException(f + ": no such file");
        } catch (IOException e) {
            throw new UserInputException(f + ": cannot read: " + e.getMessage(), e);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw UserInputException.at(f, line, null, "invalid UTF-8 (byte " + in.position()
                    + "); a text file must be UTF-8");
        }
        return out.flip().toString();
    }

    /** Trains on in-memory texts. */
    public BpeTokenizer train(Iterable<String> texts) {
        Map<String, long[]> words = new HashMap<>();
        for (String t : texts) {
            countWords(t, words);
        }
        return train(words);
    }

    private static void countWords(String text, Map<String, long[]> words) {
        Map<String, Integer> specials = new HashMap<>();
        SpecialTokens.DEFAULTS.forEach(s -> specials.put(s, -1));
        // literal specials in the text are not learned as byte sequences
        SpecialTokens.split(text, specials, new SpecialTokens.Sink() {
            @Override
            public void text(String piece) {
                for (String w : ByteLevel.preTokenize(piece)) {
                    words.computeIfAbsent(w, k -> new long[1])[0]++;
                }
            }

            @Override
            public void special(int id) {
            }
        });
    }

    /** A heap entry: a pair and its count when pushed. */
    private record Candidate(long pair, long count) {
    }

    private BpeTokenizer train(Map<String, long[]> wordCounts) {
        long t0 = System.nanoTime();
        int n = wordCounts.size();
        int[][] words = new int[n][];
        long[] freq = new long[n];
        int w = 0;
        for (Map.Entry<String, long[]> e : wordCounts.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
            int[] syms = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                syms[i] = b[i] & 0xFF;
            }
            words[w] = syms;
            freq[w++] = e.getValue()[0];
        }
        Map<Long, long[]> counts = new HashMap<>();
        Map<Long, IntBuf> where = new HashMap<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j + 1 < words[i].length; j++) {
                long p = BpeTokenizer.key(words[i][j], words[i][j + 1]);
                counts.computeIfAbsent(p, k -> new long[1])[0] += freq[i];
                where.computeIfAbsent(p, k -> new IntBuf(4)).add(i);
            }
        }
        PriorityQueue<Candidate> heap = new PriorityQueue<>((a, b) -> a.count != b.count
                ? Long.compare(b.count, a.count) : Long.compare(a.pair, b.pair));
        counts.forEach((p, c) -> heap.add(new Candidate(p, c[0])));

        int targetTokens = vocabSize - SpecialTokens.DEFAULTS.size();
        List<int[]> merges = new ArrayList<>();
        // token strings (byte-level characters) by id, to notice when two merges spell the same token
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> tokenIds = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]));
            tokenIds.put(tokens.get(b), b);
        }
        int[] seen = new int[n]; // stamp per word: the merge number that last rewrote it
        while (tokens.size() < targetTokens && !heap.isEmpty()) {
            Candidate top = heap.poll();
            long[] live = counts.get(top.pair);
            long current = live == null ? 0 : live[0];
            if (current != top.count) {
                if (current > 0) {
                    heap.add(new Candidate(top.pair, current)); // stale: re-queue at its real count
                }
                continue;
            }
            if (current < minFrequency) {
                break;
            }
            int left = (int) (top.pair >>> 32);
            int right = (int) top.pair;
            // (ab, c) and (a, bc) both spell "abc": the later merge reuses the id, as Hugging Face does
            String spelled = tokens.get(left) + tokens.get(right);
            Integer existing = tokenIds.get(spelled);
            int newId = existing != null ? existing : tokens.size();
            if (existing == null) {
                tokens.add(spelled);
                tokenIds.put(spelled, newId);
            }
            merges.add(new int[] {left, right, newId});
            int stamp = merges.size();
            Map<Long, Long> delta = new HashMap<>();
            int[] affected = where.remove(top.pair).toArray();
            for (int wi : affected) {
                if (seen[wi] == stamp) {
                    continue;
                }
                seen[wi] = stamp;
                int[] merged = mergeWord(words[wi], left, right, newId);
                if (merged == null) {
                    continue; // listed earlier, but an earlier merge consumed the pair
                }
                addPairs(words[wi], -freq[wi], delta);
                addPairs(merged, freq[wi], delta);
                for (int j = 0; j + 1 < merged.length; j++) {
                    if (merged[j] == newId || merged[j + 1] == newId) {
                        where.computeIfAbsent(BpeTokenizer.key(merged[j], merged[j + 1]), k -> new IntBuf(4)).add(wi);
                    }
                }
                words[wi] = merged;
            }
            delta.forEach((p, d) -> {
                if (d != 0) {
                    long[] c = counts.computeIfAbsent(p, k -> new long[1]);
                    c[0] += d;
                    if (c[0] > 0) {
                        heap.add(new Candidate(p, c[0]));
                    } else {
                        counts.remove(p);
                    }
                }
            });
            counts.remove(top.pair);
        }
        LOG.info("trained byte-level BPE: {} distinct words, {} merges, vocab {} in {} ms",
                n, merges.size(), tokens.size() + SpecialTokens.DEFAULTS.size(), (System.nanoTime() - t0) / 1_000_000);
        return BpeTokenizer.fromMerges(tokens.size(), merges, SpecialTokens.DEFAULTS);
    }

    /** {@code word} with every (left, right) replaced by {@code newId} left to right; null when absent. */
    private static int[] mergeWord(int[] word, int left, int right, int newId) {
        int[] out = new int[word.length];
        int k = 0;
        boolean changed = false;
        for (int i = 0; i < word.length; i++) {
            if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
                out[k++] = newId;
                i++;
                changed = true;
            } else {
                out[k++] = word[i];
            }
        }
        return changed ? java.util.Arrays.copyOf(out, k) : null;
    }

    private static void addPairs(int[] word, long f, Map<Long, Long> delta) {
        for (int j = 0; j + 1 < word.length; j++) {
            delta.merge(BpeTokenizer.key(word[j], word[j + 1]), f, Long::sum);
        }
    }
}
