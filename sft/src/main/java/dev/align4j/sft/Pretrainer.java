package dev.align4j.sft;

import ai.djl.Device;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.io.Hashing;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.split.Split;
import dev.align4j.datasets.split.SplitSpec;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Causal-LM pretraining on raw text with the SFT machinery ({@link LmTrainer}): the texts are
 * tokenized, joined with EOS between documents, and cut into sequences of seq_len tokens in which
 * every token counts for the loss. A tail shorter than seq_len is dropped (unless it is the only
 * sequence). Full fine-tuning only: PEFT is for adapting a trained model.
 */
public final class Pretrainer {

    private static final Logger LOG = LogManager.getLogger(Pretrainer.class);

    private Pretrainer() {
    }

    /** A document: where it came from (for logs and provenance) and its text. */
    public record Text(String name, String content) {
    }

    /** Tokenizes, chunks and builds or loads the model; writes nothing. */
    public static LmRun prepare(TrainingArgs args, PretrainConfig cfg, List<Text> texts) {
        Device device = Devices.resolve(args.device());
        ModelBundle bundle;
        if (cfg.model() != null) {
            Path dir = Path.of(cfg.model());
            if (!Files.isDirectory(dir)) {
                throw SftConfig.bad("model", cfg.model() + ": no such folder");
            }
            bundle = ModelBundle.load(dir, device, null);
        } else {
            Tokenizer tok = TokenizerSpec.parse(cfg.tokenizer()).resolve(() -> texts.stream().map(Text::content).toList());
            ModelConfig mc = ModelConfigs.resolve(cfg.modelConfig(), tok);
            bundle = ModelBundle.create(mc, tok, Templates.PLAIN, device, args.seed());
        }
        try {
            return prepared(args, cfg, texts, bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static LmRun prepared(TrainingArgs args, PretrainConfig cfg, List<Text> texts, ModelBundle bundle) {
        int ctx = bundle.config().contextLength();
        if (cfg.seqLen() > ctx) {
            throw SftConfig.bad("seq_len", cfg.seqLen() + " exceeds the model's context_length " + ctx);
        }
        Tokenizer tok = bundle.tokenizer();
        List<TokenizedExample> chunks = chunks(texts, tok, cfg.seqLen());
        double v = cfg.valSetSize();
        SplitSpec spec = v >= 1 ? SplitSpec.count((int) v, 0) : SplitSpec.ratio(v, 0);
        Split<TokenizedExample> split;
        try {
            split = Split.of(chunks, spec, args.seed());
        } catch (IllegalArgumentException e) {
            throw SftConfig.bad("val_set_size", e.getMessage() + " (" + chunks.size() + " sequences of "
                    + cfg.seqLen() + " tokens)");
        }
        LOG.info("pretraining text: {} sequences of {} tokens ({} train, {} validation)", chunks.size(),
                cfg.seqLen(), split.train().size(), split.validation().size());
        List<Samples.Prompt> prompts = new ArrayList<>();
        List<TokenizedExample> from = split.validation().isEmpty() ? split.train() : split.validation();
        for (TokenizedExample ex : from.subList(0, Math.min(cfg.numSamples(), from.size()))) {
            int[] ids = Arrays.copyOf(ex.inputIds(), Math.min(cfg.samplePromptTokens(), ex.length() - 1));
            String text = tok.decode(ids);
            prompts.add(new Samples.Prompt(text, text, ids));
        }
        StringBuilder hashed = new StringBuilder();
        for (Text t : texts) {
            hashed.append(Hashing.sha256(t.content())).append(' ');
        }
        String dataHash = Hashing.sha256(hashed.toString());
        LmTrainer.Data data = new LmTrainer.Data(split.train(), split.validation(), LmBatches.Layout.PLAIN,
                cfg.seqLen(), dataHash, prompts);
        PeftConfig full = PeftConfig.of(PeftMethod.FULL);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("train_sequences", split.train().size());
        LmRun.Origin origin = new LmRun.Origin("pretrain", cfg.model(), texts.stream().map(Text::name).toList(),
                extra);
        return new LmRun(args, full, bundle, data, ConfigLoader.toTree(args, cfg), origin,
                new Samples.Settings(cfg.sampleMaxNewTokens(), cfg.sampleTemperature()));
    }

    /**
     * The token stream of {@code texts} (EOS after each document) cut into sequences of
     * {@code seqLen} tokens, labels equal to the inputs (the loss shifts them).
     */
    public static List<TokenizedExample> chunks(List<Text> texts, Tokenizer tok, int seqLen) {
        List<int[]> docs = new ArrayList<>();
        int total = 0;
        for (Text t : texts) {
            int[] ids = tok.encode(t.content());
            int[] withEos = Arrays.copyOf(ids, ids.length + 1);
            withEos[ids.length] = tok.eosId();
            docs.add(withEos);
            total += withEos.length;
        }
        int[] stream = new int[total];
        int at = 0;
        for (int[] d : docs) {
            System.arraycopy(d, 0, stream, at, d.length);
            at += d.length;
        }
        List<TokenizedExample> out = new ArrayList<>();
        for (int s = 0; s + seqLen <= total; s += seqLen) {
            int[] ids = Arrays.copyOfRange(stream, s, s + seqLen);
            out.add(new TokenizedExample(null, ids, ids.clone()));
        }
        if (out.isEmpty()) {
            if (total < 2) {
                throw SftConfig.bad("text", "the text has " + total + " tokens; at least 2 are needed");
            }
            out.add(new TokenizedExample(null, stream, stream.clone()));
        }
        return out;
    }
}
