package dev.align4j.ppo;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.ChatTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The prompt dataset, tokenized as the policy renders prompts (BOS when the template wants it,
 * rendered prompt, assistant prefix) and cut to {@code maxPromptTokens} from the left (BOS kept), so
 * that prompt + max_new_tokens fits every model's context.
 *
 * @param messages the prompts as messages, in file order
 * @param ids their token ids
 * @param dataHash SHA-256 of the file
 * @param truncated how many prompts were cut
 */
public record PpoPrompts(List<List<Message>> messages, List<int[]> ids, String dataHash, int truncated) {

    /** Loads {@code file} (for the field {@code field} in messages); at least one prompt is required. */
    public static PpoPrompts load(String field, Path file, Tokenizer tok, ChatTemplate template, int maxPromptTokens) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException(field + ": file not found: " + file);
        }
        List<List<Message>> messages = new ArrayList<>();
        for (Example e : DatasetLoader.load(file, LoadOptions.defaults().withPromptsOnly(true)).examples()) {
            messages.add(e.prompt());
        }
        if (messages.isEmpty()) {
            throw new UserInputException(field + ": " + file + " holds no prompts");
        }
        List<int[]> ids = new ArrayList<>(messages.size());
        int cut = 0;
        for (List<Message> p : messages) {
            int[] full = encode(tok, template, p);
            int[] kept = cut(full, maxPromptTokens, template.bos());
            cut += kept.length < full.length ? 1 : 0;
            ids.add(kept);
        }
        return new PpoPrompts(List.copyOf(messages), List.copyOf(ids), Hashing.sha256(file), cut);
    }

    /** BOS (if the template wants it) + rendered prompt + assistant prefix. */
    public static int[] encode(Tokenizer tok, ChatTemplate template, List<Message> prompt) {
        return dev.align4j.core.run.SamplesFile.promptIds(tok, template.renderPrompt(prompt), template.bos());
    }

    /** The last {@code max} tokens, keeping a leading BOS. */
    static int[] cut(int[] ids, int max, boolean bos) {
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
                perm = dev.align4j.core.train.DataOrder.permutation(seed, epoch, n);
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
}
