package dev.align4j.sft;

import ai.djl.Device;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.align4j.core.config.ConfigLoader;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.SftEncoder;
import dev.align4j.datasets.tokenize.TokenizedExample;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Supervised fine-tuning. In two steps so that a command can validate everything before it creates
 * the run folder: {@link #prepare} reads the data, builds or loads the model and tokenizes (any bad
 * input throws a {@code UserInputException} and nothing is written), then {@link LmRun#train} goes
 * through core's run lifecycle and saves model, adapter, provenance and samples.
 *
 * <pre>{@code
 * try (PreparedRun run = SftTrainer.prepare(args, peft, sft)) {
 *     RunResult out = run.train();
 * }
 * }</pre>
 *
 * <p>From Java code (the Java API; README "Using align4j as a library"): build each part with its
 * builder, unset keys taking the defaults a config file gets, and call {@code train} or {@code prepare}:
 *
 * <pre>{@code
 * RunResult r = SftTrainer.train(
 *         TrainingArgs.builder().outputDir("runs/sft").maxSteps(100).build(),
 *         PeftConfig.builder().method(PeftMethod.LORA).loraR(8).build(),
 *         SftConfig.builder().model("runs/base/model").data(List.of("train.jsonl")).build());
 * }</pre>
 */
public final class SftTrainer {

    private static final Logger LOG = LogManager.getLogger(SftTrainer.class);

    private SftTrainer() {
    }

    /** Prepares, trains and closes: {@link #prepare} then {@link LmRun#train}. */
    public static RunResult train(TrainingArgs args, PeftConfig peft, SftConfig cfg) {
        try (LmRun run = prepare(args, peft, cfg)) {
            return run.train();
        }
    }

    /** Reads, builds and tokenizes; writes nothing. */
    public static LmRun prepare(TrainingArgs args, PeftConfig peft, SftConfig cfg) {
        Device device = Devices.resolve(args.device());
        SftData data = SftData.load(cfg, args.seed());
        ModelBundle bundle = cfg.model() != null ? loadModel(cfg, device) : freshModel(cfg, data, device, args.seed());
        try {
            return prepared(args, peft, cfg, data, bundle);
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    private static LmRun prepared(TrainingArgs args, PeftConfig peft, SftConfig cfg, SftData data,
            ModelBundle bundle) {
        ModelConfig mc = bundle.config();
        if (cfg.cutoffLen() > mc.contextLength()) {
            throw SftConfig.bad("cutoff_len", cfg.cutoffLen() + " exceeds the model's context_length "
                    + mc.contextLength());
        }
        Tokenizer tok = bundle.tokenizer();
        SftEncoder.Config ec = new SftEncoder.Config(cfg.cutoffLen(), cfg.truncationSide(), cfg.trainOnInputs());
        List<TokenizedExample> train = SftData.encode(data.train(), new SftEncoder(tok, bundle.template(), ec), "train");
        List<TokenizedExample> val = SftData.encode(data.validation(), new SftEncoder(tok, bundle.template(), ec),
                "validation");
        if (train.isEmpty()) {
            throw SftConfig.bad("cutoff_len", "no training example keeps a reply token at cutoff_len "
                    + cfg.cutoffLen());
        }
        LmBatches.Layout layout = cfg.packing() ? LmBatches.Layout.PACKED
                : cfg.groupByLength() ? LmBatches.Layout.GROUP_BY_LENGTH : LmBatches.Layout.PLAIN;
        var prompts = SftData.prompts(data.validation().isEmpty() ? data.train() : data.validation(),
                cfg.numSamples(), cfg.samplePromptWords(), tok, bundle.template());
        if (data.validation().isEmpty() && cfg.numSamples() > 0) {
            LOG.warn("val_set_size is 0: samples.jsonl uses training prompts");
        }
        LmTrainer.Data lm = new LmTrainer.Data(train, val, layout, cfg.cutoffLen(), data.dataHash(), prompts);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("train_examples", train.size());
        extra.put("validation_examples", val.size());
        LmRun.Origin origin = new LmRun.Origin("sft", cfg.model(),
                data.files().stream().map(Path::toString).toList(), extra);
        ObjectNode resolved = ConfigLoader.toTree(args, peft, cfg);
        return new LmRun(args, peft, bundle, lm, resolved, origin,
                new Samples.Settings(cfg.sampleMaxNewTokens(), cfg.sampleTemperature()));
    }

    private static ModelBundle loadModel(SftConfig cfg, Device device) {
        Path dir = Path.of(cfg.model());
        if (!Files.isDirectory(dir)) {
            throw SftConfig.bad("model", cfg.model() + ": no such folder");
        }
        return ModelBundle.load(dir, device, cfg.template());
    }

    private static ModelBundle freshModel(SftConfig cfg, SftData data, Device device, long seed) {
        ChatTemplate template = cfg.template() != null ? Templates.resolve(cfg.template())
                : Templates.defaultFor(data.format());
        Tokenizer tok = TokenizerSpec.parse(cfg.tokenizer()).resolve(() -> data.trainText(template));
        ModelConfig mc = ModelConfigs.resolve(cfg.modelConfig(), tok);
        LOG.info("new {} model: d_model {}, {} layers, {} heads, context {}, vocab {}", mc.architecture(),
                mc.dModel(), mc.nLayers(), mc.nHeads(), mc.contextLength(), mc.vocabSize());
        return ModelBundle.create(mc, tok, template, device, seed);
    }
}
