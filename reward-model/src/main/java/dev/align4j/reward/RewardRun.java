package dev.align4j.reward;

import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.run.LoraExport;
import dev.align4j.core.run.Provenance;
import dev.align4j.core.run.RunLifecycle;
import dev.align4j.core.train.EvalFunction;
import dev.align4j.core.train.TrainResult;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated reward-model run ({@link RewardTrainer#prepare}); {@link #train()} goes through the
 * {@link RunLifecycle}: the engine minimises the Bradley-Terry loss, then the export scores every
 * training response for {@link RewardStats}, merges LoRA into the weights and writes
 * {@code model/} (a {@link RewardBundle} folder), {@code adapter/} (LoRA) and provenance.json.
 * Final metrics: the last step's, {@code eval_*} and {@code train_*} (the final model over every
 * training pair). Closing frees the model.
 */
public final class RewardRun extends RunLifecycle {

    private final RewardSettings settings;
    private final RewardBundle rm;
    private final RewardTrainer.Prepared data;
    private String baseHash;
    private TrainResult result;

    RewardRun(RewardSettings settings, RewardBundle rm, RewardTrainer.Prepared data) {
        super(Path.of(settings.args().outputDir()), settings.args().maxSteps());
        this.settings = settings;
        this.rm = rm;
        this.data = data;
        Peft.check(rm.base().model(), settings.peft()); // before the run folder exists
    }

    public int trainPairs() {
        return data.train().size();
    }

    public int valPairs() {
        return data.val().size();
    }

    public int skipped() {
        return data.skipped();
    }

    /** Reward statistics of the final model (set by the export; null before). */
    public RewardStats stats() {
        return rm.stats();
    }

    @Override
    protected Trained fit() {
        RewardConfig cfg = settings.reward();
        CausalLM model = rm.base().model();
        baseHash = LoraExport.adapters(settings.peft()) ? Adapters.baseModelHash(model) : null;
        Map<String, Parameter> trainable = new LinkedHashMap<>(Peft.apply(model, settings.peft(), rm.base().manager(),
                settings.args().seed()));
        trainable.putAll(rm.headParameters());
        Map<String, Parameter> all = new LinkedHashMap<>();
        rm.parameters().forEach((k, v) -> {
            if (v.isInitialized()) {
                all.put(k, v); // QLoRA leaves the dense copies of quantized weights uninitialised
            }
        });
        double coef = cfg.centerRewardsCoefficient();
        boolean dropout = !cfg.disableDropout();
        result = TrainingEngine.<RewardBatch>builder()
                .setParameters(trainable)
                .optModelParameters(all)
                .setArgs(settings.args())
                .setData(new RewardData(data.train(), settings.args().perDeviceTrainBatchSize(),
                        rm.base().tokenizer().padId(), cfg.useMargin(), data.dataHash()))
                .setLoss((batch, mgr) -> RewardTrainer.step(rm, batch, coef, dropout))
                .optEval(data.val().isEmpty() ? null : eval(data.val(), "eval_"))
                .optSinks(extraSinks())
                .optRunConfig(settings.toTree())
                .build()
                .run();
        Map<String, Double> metrics = new LinkedHashMap<>(result.lastMetrics());
        metrics.putAll(result.lastEval());
        return new Trained(result.steps(), metrics, result.lastCheckpoint(), result.stopped());
    }

    private EvalFunction eval(List<dev.align4j.datasets.tokenize.TokenizedPreference> pairs, String prefix) {
        RewardConfig cfg = settings.reward();
        return (step, mgr) -> {
            RewardMetrics.Scores sc = RewardMetrics.score(rm, pairs, settings.args().perDeviceEvalBatchSize());
            return RewardMetrics.of(sc.chosen(), sc.rejected(), cfg.useMargin() ? sc.margins() : null,
                    cfg.centerRewardsCoefficient(), prefix);
        };
    }

    @Override
    protected Exported export(Trained trained) {
        RewardConfig cfg = settings.reward();
        RewardMetrics.Scores sc = RewardMetrics.score(rm, data.train(), settings.args().perDeviceEvalBatchSize());
        Map<String, Double> trainMetrics = RewardMetrics.of(sc.chosen(), sc.rejected(),
                cfg.useMargin() ? sc.margins() : null, cfg.centerRewardsCoefficient(), "train_");
        float[] responses = new float[2 * sc.size()];
        System.arraycopy(sc.chosen(), 0, responses, 0, sc.size());
        System.arraycopy(sc.rejected(), 0, responses, sc.size(), sc.size());
        rm.setStats(RewardStats.of(responses, "chosen and rejected responses of the " + sc.size() + " training pairs"));

        Path out = outputDir();
        Path adapterDir = null;
        if (LoraExport.adapters(settings.peft())) {
            adapterDir = LoraExport.saveAdapter(out, rm.base().model(), settings.peft(), baseHash);
            Lora.merge(rm.base().model()); // the reward bundle saves its base's plain weights, merged
        }
        Map<String, Double> finalMetrics = new LinkedHashMap<>(trained.metrics());
        finalMetrics.putAll(trainMetrics);
        Provenance prov = Provenance.builder("reward").setPeft(settings.peft().method().configName())
                .setBaseModel(cfg.model()).setData(List.of(cfg.data()), data.dataHash())
                .setSeed(settings.args().seed()).setSteps(trained.steps()).setFinalMetrics(finalMetrics)
                .setBestCheckpoint(result.bestCheckpoint()).setConfig(settings.toTree())
                .put("train_pairs", data.train().size()).put("val_pairs", data.val().size())
                .put("reward_stats", rm.stats()).build();
        Path modelDir = out.resolve(RewardTrainer.MODEL_DIR);
        rm.save(modelDir, cfg, prov.asMap());
        prov.write(out);
        return new Exported(modelDir, adapterDir, trainMetrics);
    }

    @Override
    public void close() {
        rm.close();
    }
}
