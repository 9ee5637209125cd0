package dev.align4j.dpo;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.ColumnMapping;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.UnpairedExample;
import dev.align4j.datasets.split.Split;
import dev.align4j.datasets.split.SplitSpec;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import dev.align4j.datasets.tokenize.TokenizedPreference;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A DPO run's data, tokenized and split. Every pair keeps its position in the file ({@code index}),
 * which keys the reference cache.
 *
 * <p>KTO data is unpaired; each example i becomes a pair (prompt_i, completion_i, completion_{i+1 mod
 * n}) whose "rejected" slot holds a mismatched completion. The policy and the reference score it
 * like any pair; the loss uses the mismatched scores only for the KL reference point z (Ethayarajh et
 * al. 2024, section 4.1: z estimated from mismatched prompt/completion pairs), and
 * {@link TokenizedPreference#margin()} carries the label (+1 desirable, -1 undesirable).
 *
 * @param pairs every pair in file order
 * @param train indices of the training pairs
 * @param validation indices of the held-out pairs
 * @param prompts the prompt messages of each pair, for samples
 * @param dataHash SHA-256 of the data file
 */
public record DpoData(List<TokenizedPreference> pairs, int[] train, int[] validation, List<List<Message>> prompts,
        boolean unpaired, String dataHash, int truncated) {

    private static final Logger LOG = LogManager.getLogger(DpoData.class);

    /**
     * Loads {@code cfg.data()}, tokenizes it with the policy's tokenizer and template and splits it
     * (seeded). Every problem is a {@link UserInputException} naming the file and the line.
     */
    public static DpoData load(DpoConfig cfg, Tokenizer tokenizer, ChatTemplate template, int contextLength,
            long seed) {
        Path file = Path.of(cfg.data());
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("data: file not found: " + file);
        }
        int maxLength = cfg.maxLengthOr(contextLength);
        if (maxLength > contextLength) {
            throw new UserInputException("max_length: " + maxLength + " exceeds the model's context_length "
                    + contextLength);
        }
        int maxPrompt = cfg.maxPromptLengthOr(contextLength);
        if (maxPrompt >= maxLength) {
            throw new UserInputException("max_prompt_length: must be below max_length " + maxLength + ", got " + maxPrompt);
        }
        LoadOptions opts = new LoadOptions(cfg.dataFormat(), ColumnMapping.parse(cfg.map()), cfg.skipInvalid(), false);
        LoadedDataset ds = DatasetLoader.load(file, opts);
        boolean kto = cfg.lossType() == DpoLossType.KTO;
        DataFormat.Kind want = kto ? DataFormat.Kind.UNPAIRED : DataFormat.Kind.PREFERENCE;
        if (ds.format().kind() != want) {
            throw new UserInputException(file + ": format " + ds.format().name().toLowerCase(Locale.ROOT)
                    + " holds " + ds.format().kind().name().toLowerCase(Locale.ROOT) + " records, but loss_type "
                    + cfg.lossType().name().toLowerCase(Locale.ROOT) + " needs "
                    + (kto ? "unpaired (kto) records {prompt, completion, label}" : "preference pairs {prompt, chosen, rejected}"));
        }
        if (ds.size() < 2) {
            throw new UserInputException(file + ": need at least 2 records, got " + ds.size());
        }
        PreferenceEncoder enc = new PreferenceEncoder(tokenizer, template,
                new PreferenceEncoder.Config(maxLength, maxPrompt));
        List<TokenizedPreference> pairs = new ArrayList<>(ds.size());
        List<List<Message>> prompts = new ArrayList<>(ds.size());
        List<Example> ex = ds.examples();
        for (int i = 0; i < ex.size(); i++) {
            if (kto) {
                UnpairedExample u = (UnpairedExample) ex.get(i);
                UnpairedExample next = (UnpairedExample) ex.get((i + 1) % ex.size());
                TokenizedPreference own = enc.encode(u);
                int[] mismatched = enc.responseIds(next.completion());
                int room = maxLength - own.promptLength();
                pairs.add(new TokenizedPreference(own.source(), own.promptIds(), own.chosenIds(),
                        Arrays.copyOf(mismatched, Math.min(mismatched.length, room)), own.margin()));
                prompts.add(u.prompt());
            } else {
                PreferenceExample p = (PreferenceExample) ex.get(i);
                pairs.add(enc.encode(p));
                prompts.add(p.prompt());
            }
        }
        if (enc.truncatedCount() > 0) {
            LOG.warn("{}: {} of {} records cut to max_length {} (prompt to {} first)", file, enc.truncatedCount(),
                    pairs.size(), maxLength, maxPrompt);
        }
        double v = cfg.valSetSize();
        SplitSpec spec = v >= 1 ? SplitSpec.count((int) v, 0) : SplitSpec.ratio(v, 0);
        Split<Integer> split;
        try {
            split = Split.of(IntStream.range(0, pairs.size()).boxed().toList(), spec, seed);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("val_set_size: " + e.getMessage());
        }
        return new DpoData(List.copyOf(pairs), toArray(split.train()), toArray(split.validation()),
                List.copyOf(prompts), kto, Hashing.sha256(file), enc.truncatedCount());
    }

    private static int[] toArray(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }
}
