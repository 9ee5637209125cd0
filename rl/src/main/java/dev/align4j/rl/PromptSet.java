package dev.align4j.rl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.run.SamplesFile;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.train.DataOrder;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.JsonRecords;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.ChatTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An on-policy prompt dataset, tokenized as the policy renders prompts (BOS when the template wants
 * it, rendered prompt, assistant prefix) and cut to {@code maxPromptTokens} from the left (BOS kept),
 * so that prompt + max_new_tokens fits every model's context. Each prompt keeps its reference answer
 * when its record has one ({@value #ANSWER} field, a string or a number), for verifiable rewards.
 *
 * @param messages the prompts as messages, in file order
 * @param ids their token ids
 * @param answers reference answers per prompt; entries are null where the record has none
 * @param dataHash SHA-256 of the file
 * @param truncated how many prompts were cut
 */
public record PromptSet(List<List<Message>> messages, List<int[]> ids, List<String> answers, String dataHash,
        int truncated) {

    /** The record field read as a prompt's reference answer. */
    public static final String ANSWER = "answer";

    /** Loads {@code file} (for the field {@code field} in messages); at least one prompt is required. */
    public static PromptSet load(String field, Path file, Tokenizer tok, ChatTemplate template, int maxPromptTokens) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(field + ": file not found: " + file);
        }
        List<Example> examples = DatasetLoader.load(file, LoadOptions.defaults().withPromptsOnly(true)).examples();
        if (examples.isEmpty()) {
            throw new UserInputException(field + ": " + file + " holds no prompts");
        }
        Map<Long, String> byLine = answers(file);
        List<List<Message>> messages = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        List<int[]> ids = new ArrayList<>(examples.size());
        int cut = 0;
        for (Example e : examples) {
            messages.add(e.prompt());
            answers.add(byLine.get(e.source().line()));
            int[] full = encode(tok, template, e.prompt());
            int[] kept = cut(full, maxPromptTokens, template.bos());
            cut += kept.length < full.length ? 1 : 0;
            ids.add(kept);
        }
        return new PromptSet(List.copyOf(messages), List.copyOf(ids), java.util.Collections.unmodifiableList(answers),
                Hashing.sha256(file), cut);
    }

    /** A prompt set from token ids alone (tests, benchmarks): no messages, no answers. */
    public static PromptSet ofIds(List<int[]> ids) {
        return new PromptSet(List.of(), List.copyOf(ids), java.util.Collections.nCopies(ids.size(), null), "-", 0);
    }

    /** The {@value #ANSWER} field of every JSON record of {@code file} that has one, by line. */
    private static Map<Long, String> answers(Path file) {
        Map<Long, String> out = new HashMap<>();
        String name = file.getFileName().toString();
        if (!(name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".jsonl.gz")
                || name.endsWith(".json.gz"))) {
            return out;
        }
        JsonRecords.read(file, raw -> {
            JsonNode n = raw.node() == null ? null : raw.node().get(ANSWER);
            if (n != null && (n.isTextual() || n.isNumber())) {
                out.put(raw.source().line(), n.asText());
            }
        });
        return out;
    }

    /** BOS (if the template wants it) + rendered prompt + assistant prefix. */
    public static int[] encode(Tokenizer tok, ChatTemplate template, List<Message> prompt) {
        return SamplesFile.promptIds(tok, template.renderPrompt(prompt), template.bos());
    }

    /** The last {@code max} tokens, keeping a leading BOS. */
    public static int[] cut(int[] ids, int max, boolean bos) {
        if (ids.length <= max) {
            return ids;
        }
        int head = bos && max > 1 ? 1 : 0;
        int[] out = new int[max];
        System.arraycopy(ids, 0, out, 0, head);
        System.arraycopy(ids, ids.length - (max - head), out, head, max - head);
        return out;
    }

    public int size() {
        return ids.size();
    }

    /** The first {@code n} prompts. */
    public PromptSet head(int n) {
        int k = Math.min(n, size());
        return new PromptSet(messages.isEmpty() ? messages : messages.subList(0, k), ids.subList(0, k),
                answers.subList(0, k), dataHash, truncated);
    }

    /**
     * Prompts of iteration {@code iteration}: positions {@code iteration * batch ..} of the stream of
     * epochs, each epoch a permutation that depends only on (seed, epoch).
     *
     * @return indices into the dataset
     */
    public int[] batchIndices(long seed, long iteration, int batch) {
        int n = size();
        int[] out = new int[batch];
        int[] perm = null;
        long permEpoch = -1;
        for (int j = 0; j < batch; j++) {
            long at = iteration * batch + j;
            long epoch = at / n;
            if (epoch != permEpoch) {
                perm = DataOrder.permutation(seed, epoch, n);
                permEpoch = epoch;
            }
            out[j] = perm[(int) (at % n)];
        }
        return out;
    }

    /** Token ids of the given indices. */
    public List<int[]> select(int[] indices) {
        return Arrays.stream(indices).mapToObj(ids::get).toList();
    }

    /** Reference answers of the given indices (null entries where none). */
    public List<String> selectAnswers(int[] indices) {
        List<String> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(answers.get(i));
        }
        return out;
    }
}
