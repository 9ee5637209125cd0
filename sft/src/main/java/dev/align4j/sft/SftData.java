package dev.align4j.sft;

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
import dev.align4j.datasets.format.Role;
import dev.align4j.datasets.format.SftExample;
import dev.align4j.datasets.split.Mixer;
import dev.align4j.datasets.split.Split;
import dev.align4j.datasets.split.SplitSpec;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.tokenize.SftEncoder;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SFT data of a run, read and split before anything is written: every file loaded (the first
 * bad record stops the run unless skip_invalid), mixed by weight, split into train and validation
 * with the run's seed.
 *
 * @param train training conversations
 * @param validation held-out conversations (eval loss, sample prompts)
 * @param format the format of the first file (for the default template)
 * @param files the data files, in order
 * @param dataHash SHA-256 of the files' bytes, with the weights when mixing
 */
public record SftData(List<SftExample> train, List<SftExample> validation, DataFormat format,
        List<Path> files, String dataHash) {

    private static final Logger LOG = LogManager.getLogger(SftData.class);

    /** Loads, mixes and splits the data {@code cfg} names. */
    public static SftData load(SftConfig cfg, long seed) {
        List<Path> files = new ArrayList<>();
        for (String d : cfg.data()) {
            Path p = Path.of(d);
            if (!Files.isRegularFile(p)) {
                throw SftConfig.bad("data", d + ": no such file");
            }
            files.add(p);
        }
        List<String> mapEntries = new ArrayList<>();
        cfg.map().forEach((k, v) -> mapEntries.add(k + "=" + v));
        LoadOptions options = new LoadOptions(cfg.format(), ColumnMapping.parse(mapEntries), cfg.skipInvalid(), false);
        List<List<SftExample>> sources = new ArrayList<>();
        DataFormat first = null;
        for (Path f : files) {
            LoadedDataset ds = DatasetLoader.load(f, options);
            if (ds.format().kind() != DataFormat.Kind.SFT) {
                throw UserInputException.at(f, 0, "format", ds.format().name().toLowerCase()
                        + " records are " + ds.format().kind().name().toLowerCase() + " data, not SFT examples");
            }
            first = first == null ? ds.format() : first;
            List<SftExample> xs = new ArrayList<>();
            for (Example e : ds.examples()) {
                xs.add((SftExample) e);
            }
            if (xs.isEmpty()) {
                throw UserInputException.at(f, 0, "data", "no usable records");
            }
            sources.add(xs);
        }
        List<SftExample> all;
        String hash = Hashing.sha256(files.toArray(Path[]::new));
        if (cfg.dataWeights() != null) {
            double[] w = cfg.dataWeights().stream().mapToDouble(Double::doubleValue).toArray();
            int total = sources.stream().mapToInt(List::size).sum();
            all = Mixer.mix(sources, w, total, seed);
            hash = Hashing.sha256(hash + " weights " + cfg.dataWeights());
        } else {
            all = new ArrayList<>();
            sources.forEach(all::addAll);
        }
        double v = cfg.valSetSize();
        SplitSpec spec = v >= 1 ? SplitSpec.count((int) v, 0) : SplitSpec.ratio(v, 0);
        Split<SftExample> split;
        try {
            split = Split.of(all, spec, seed);
        } catch (IllegalArgumentException e) {
            throw SftConfig.bad("val_set_size", e.getMessage());
        }
        LOG.info("data: {} examples ({} train, {} validation) from {}", all.size(), split.train().size(),
                split.validation().size(), files);
        return new SftData(split.train(), split.validation(), first, List.copyOf(files), hash);
    }

    /** The rendered text of each training conversation (what a BPE tokenizer is trained on). */
    public Iterable<String> trainText(ChatTemplate template) {
        return () -> train.stream().map(ex -> {
            StringBuilder sb = new StringBuilder();
            template.render(ex.messages()).forEach(s -> sb.append(s.text()));
            return sb.toString();
        }).iterator();
    }

    /** Encodes {@code examples}, logging how many were cut or dropped. */
    static List<TokenizedExample> encode(List<SftExample> examples, SftEncoder encoder, String what) {
        List<TokenizedExample> out = encoder.encodeAll(examples);
        int dropped = examples.size() - out.size();
        LOG.info("{}: {} examples tokenized, {} truncated, {} dropped (no reply token left)", what, out.size(),
                encoder.truncatedCount(), dropped);
        return out;
    }

    /**
     * Sample prompts from the first {@code n} examples: the conversation before the last reply,
     * rendered with the template; an example with no prompt (plain text) is prompted with its
     * first {@code words} words.
     */
    static List<Samples.Prompt> prompts(List<SftExample> examples, int n, int words, Tokenizer tok,
            ChatTemplate template) {
        List<Samples.Prompt> out = new ArrayList<>();
        for (SftExample ex : examples.subList(0, Math.min(n, examples.size()))) {
            List<Message> prompt = ex.prompt();
            String shown;
            String rendered;
            if (prompt.isEmpty()) {
                String reply = ex.messages().get(ex.messages().size() - 1).content();
                String[] w = reply.trim().split("\\s+");
                shown = String.join(" ", Arrays.copyOf(w, Math.min(words, Math.max(1, w.length - 1))));
                rendered = template.renderPrompt(prompt) + shown;
            } else {
                Message last = prompt.get(prompt.size() - 1);
                shown = last.role() == Role.USER && !last.input().isEmpty()
                        ? last.content() + "\n\n" + last.input() : last.content();
                rendered = template.renderPrompt(prompt);
            }
            int[] ids = dev.align4j.core.run.SamplesFile.promptIds(tok, rendered, template.bos());
            out.add(new Samples.Prompt(shown, rendered, ids));
        }
        return out;
    }
}
