package dev.align4j.core.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.OutputPath;
import dev.align4j.core.io.Json;

import java.util.regex.Pattern;

/**
 * Hyper-parameters of the training loop, named and defaulted as Hugging Face
 * {@code TrainingArguments} (and alpaca-lora's flags) where a counterpart exists; JSON/YAML keys are
 * snake_case. The canonical constructor validates every field and names field and value in its
 * message. Build from {@link #defaults()} with {@link #builder()} / {@link #toBuilder()}, or from a
 * partial JSON/YAML tree with {@link #fromTree(JsonNode)}.
 *
 * <p>Steps: the data is a stream of micro-batches across epochs; optimizer step {@code s} consumes
 * micro-batches {@code s*A .. s*A+A-1} (A = gradient_accumulation_steps). With {@code max_steps <= 0} the run
 * has {@code ceil(num_train_epochs * batchesPerEpoch / A)} steps, so a last step may take
 * micro-batches from the next epoch (HF instead takes a short last step per epoch).
 *
 * @param outputDir run folder: config.json, run.json, metrics.jsonl, checkpoints/ (HF: required); from a
 *     config file a relative path inside the working directory, from the command line any path
 *     ({@link OutputPath})
 * @param numTrainEpochs passes over the data when {@code max_steps <= 0}; may be fractional (HF 3.0)
 * @param maxSteps optimizer steps; -1 (or 0) derives them from num_train_epochs (HF -1); below -1 refused
 * @param perDeviceTrainBatchSize examples per micro-batch (HF 8)
 * @param perDeviceEvalBatchSize examples per eval batch (HF 8)
 * @param gradientAccumulationSteps micro-batches per optimizer step (HF 1)
 * @param learningRate peak AdamW rate (HF 5e-5)
 * @param weightDecay decoupled decay for the decay group, see AdamW (HF 0.0)
 * @param adamBeta1 (HF 0.9)
 * @param adamBeta2 (HF 0.999)
 * @param adamEpsilon (HF 1e-8)
 * @param lrSchedulerType schedule shape (HF linear)
 * @param warmupRatio warmup as a fraction of total steps, used when warmup_steps is 0 (HF 0.0)
 * @param warmupSteps warmup steps; wins over warmup_ratio when > 0 (HF 0)
 * @param maxGradNorm global-norm clip; {@code <= 0} disables clipping (HF 1.0)
 * @param loggingSteps steps between metrics.jsonl lines (align4j 10; HF 500)
 * @param evalSteps steps between evaluations; 0: only at the end, when an eval function is given
 * @param saveSteps steps between checkpoints; 0: only the final one (HF 500)
 * @param saveTotalLimit checkpoints kept, oldest pruned first, never the best; 0 keeps all (HF None)
 * @param metricForBestModel eval metric whose best checkpoint is kept (HF metric_for_best_model)
 * @param greaterIsBetter whether a larger best-model metric is better (HF: false for losses)
 * @param seed engine RNG (init, dropout) and data order (HF 42)
 * @param fp16 mixed precision: float16 products under {@code core.model.Autocast}, float32 master
 *     weights and dynamic loss scaling ({@link LossScaler}); meant for GPUs, works (slowly) on CPU
 * @param fp16InitialScale the loss scaler's starting scale (torch GradScaler 65536; DeepSpeed
 *     initial_scale_power 16)
 * @param device auto, cpu, gpu or gpu:N
 * @param resumeFromCheckpoint a checkpoint folder, or "latest" for the newest under output_dir; null starts fresh
 */
public record TrainingArgs(
        @JsonProperty("output_dir") @OutputPath String outputDir,
        @JsonProperty("num_train_epochs") double numTrainEpochs,
        @JsonProperty("max_steps") long maxSteps,
        @JsonProperty("per_device_train_batch_size") int perDeviceTrainBatchSize,
        @JsonProperty("per_device_eval_batch_size") int perDeviceEvalBatchSize,
        @JsonProperty("gradient_accumulation_steps") int gradientAccumulationSteps,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("adam_beta1") double adamBeta1,
        @JsonProperty("adam_beta2") double adamBeta2,
        @JsonProperty("adam_epsilon") double adamEpsilon,
        @JsonProperty("lr_scheduler_type") SchedulerType lrSchedulerType,
        @JsonProperty("warmup_ratio") double warmupRatio,
        @JsonProperty("warmup_steps") long warmupSteps,
        @JsonProperty("max_grad_norm") double maxGradNorm,
        @JsonProperty("logging_steps") long loggingSteps,
        @JsonProperty("eval_steps") long evalSteps,
        @JsonProperty("save_steps") long saveSteps,
        @JsonProperty("save_total_limit") int saveTotalLimit,
        @JsonProperty("metric_for_best_model") String metricForBestModel,
        @JsonProperty("greater_is_better") boolean greaterIsBetter,
        @JsonProperty("seed") long seed,
        @JsonProperty("fp16") boolean fp16,
        @JsonProperty("fp16_initial_scale") double fp16InitialScale,
        @JsonProperty("device") String device,
        @JsonProperty("resume_from_checkpoint") String resumeFromCheckpoint) {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|cuda|(gpu|cuda):\\d+");

    public TrainingArgs {
        if (outputDir == null || outputDir.isBlank()) {
            throw bad("output_dir", outputDir, "must be a folder path");
        }
        if (maxSteps < -1) {
            throw bad("max_steps", maxSteps, "must be -1 (steps from num_train_epochs) or >= 1");
        }
        if (maxSteps <= 0 && !(numTrainEpochs > 0)) {
            throw bad("num_train_epochs", numTrainEpochs, "must be > 0 when max_steps <= 0");
        }
        atLeast("per_device_train_batch_size", perDeviceTrainBatchSize, 1);
        atLeast("per_device_eval_batch_size", perDeviceEvalBatchSize, 1);
        atLeast("gradient_accumulation_steps", gradientAccumulationSteps, 1);
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw bad("learning_rate", learningRate, "must be a finite number >= 0");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw bad("weight_decay", weightDecay, "must be a finite number >= 0");
        }
        if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
            throw bad("adam_beta1", adamBeta1, "must be in [0, 1)");
        }
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
            throw bad("adam_beta2", adamBeta2, "must be in [0, 1)");
        }
        if (!(adamEpsilon >= 0)) {
            throw bad("adam_epsilon", adamEpsilon, "must be >= 0");
        }
        if (lrSchedulerType == null) {
            throw bad("lr_scheduler_type", null, "is required");
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw bad("warmup_ratio", warmupRatio, "must be in [0, 1)");
        }
        atLeast("warmup_steps", warmupSteps, 0);
        if (Double.isNaN(maxGradNorm)) {
            throw bad("max_grad_norm", maxGradNorm, "must be a number (<= 0 disables clipping)");
        }
        atLeast("logging_steps", loggingSteps, 1);
        atLeast("eval_steps", evalSteps, 0);
        atLeast("save_steps", saveSteps, 0);
        atLeast("save_total_limit", saveTotalLimit, 0);
        if (metricForBestModel == null || metricForBestModel.isBlank()) {
            throw bad("metric_for_best_model", metricForBestModel, "must name an eval metric");
        }
        if (!(fp16InitialScale > 0) || Double.isInfinite(fp16InitialScale)) {
            throw bad("fp16_initial_scale", fp16InitialScale, "must be a finite number > 0");
        }
        if (device == null || !DEVICE.matcher(device.trim().toLowerCase()).matches()) {
            throw bad("device", device, "must be auto, cpu, gpu or gpu:N");
        }
        if (resumeFromCheckpoint != null && resumeFromCheckpoint.isBlank()) {
            resumeFromCheckpoint = null;
        }
    }

    private static UserInputException bad(String field, Object value, String what) {
        return new UserInputException(field + ": " + what + ", got " + value);
    }

    private static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw bad(field, value, "must be >= " + min);
        }
    }

    /** HF-like defaults (see each field), writing to {@code runs/run}. */
    public static TrainingArgs defaults() {
        return new TrainingArgs(
                "runs/run",
                3.0,
                -1,
                8,
                8,
                1,
                5e-5,
                0.0,
                0.9,
                0.999,
                1e-8,
                SchedulerType.LINEAR,
                0.0,
                0,
                1.0,
                10,
                0,
                500,
                0,
                "eval_loss",
                false,
                42,
                false,
                65536.0,
                "auto",
                null);
    }

    /**
     * Reads a partial JSON/YAML object over {@link #defaults()}: missing keys keep their default,
     * unknown keys are errors naming the key.
     */
    public static TrainingArgs fromTree(JsonNode overrides) {
        ObjectNode merged = Json.mapper().valueToTree(defaults());
        if (overrides != null && !overrides.isNull()) {
            if (!overrides.isObject()) {
                throw new UserInputException("training arguments must be an object, got " + overrides.getNodeType());
            }
            merged.setAll((ObjectNode) overrides);
        }
        try {
            return Json.mapper().treeToValue(merged, TrainingArgs.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            if (e.getCause() instanceof UserInputException u) {
                throw u; // our own range check, already naming field and value
            }
            throw new UserInputException("training arguments: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getCause() instanceof UserInputException u ? u : new UserInputException(e.getMessage(), e);
        }
    }

    /**
     * Optimizer steps of the run for a source of {@code batchesPerEpoch} micro-batches:
     * {@code max_steps} when positive, else {@code ceil(num_train_epochs * batchesPerEpoch / A)}, at least 1.
     */
    public long totalSteps(long batchesPerEpoch) {
        if (maxSteps > 0) {
            return maxSteps;
        }
        return Math.max(1, (long) Math.ceil(numTrainEpochs * batchesPerEpoch / gradientAccumulationSteps));
    }

    /** The schedule of a run of {@code totalSteps} steps. */
    public LrSchedule schedule(long totalSteps) {
        return new LrSchedule(lrSchedulerType, learningRate,
                LrSchedule.warmupSteps(totalSteps, warmupSteps, warmupRatio), totalSteps);
    }

    /** AdamW hyper-parameters with the default decay rule. */
    public AdamW.Config adamConfig() {
        return new AdamW.Config(adamBeta1, adamBeta2, adamEpsilon, weightDecay, AdamW.DEFAULT_DECAY);
    }

    public static Builder builder() {
        return defaults().toBuilder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.outputDir = outputDir;
        b.numTrainEpochs = numTrainEpochs;
        b.maxSteps = maxSteps;
        b.perDeviceTrainBatchSize = perDeviceTrainBatchSize;
        b.perDeviceEvalBatchSize = perDeviceEvalBatchSize;
        b.gradientAccumulationSteps = gradientAccumulationSteps;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.adamBeta1 = adamBeta1;
        b.adamBeta2 = adamBeta2;
        b.adamEpsilon = adamEpsilon;
        b.lrSchedulerType = lrSchedulerType;
        b.warmupRatio = warmupRatio;
        b.warmupSteps = warmupSteps;
        b.maxGradNorm = maxGradNorm;
        b.loggingSteps = loggingSteps;
        b.evalSteps = evalSteps;
        b.saveSteps = saveSteps;
        b.saveTotalLimit = saveTotalLimit;
        b.metricForBestModel = metricForBestModel;
        b.greaterIsBetter = greaterIsBetter;
        b.seed = seed;
        b.fp16 = fp16;
        b.fp16InitialScale = fp16InitialScale;
        b.device = device;
        b.resumeFromCheckpoint = resumeFromCheckpoint;
        return b;
    }

    /** Mutable copy of every field; {@link #build()} validates. */
    public static final class Builder {
        private String outputDir;
        private double numTrainEpochs;
        private long maxSteps;
        private int perDeviceTrainBatchSize;
        private int perDeviceEvalBatchSize;
        private int gradientAccumulationSteps;
        private double learningRate;
        private double weightDecay;
        private double adamBeta1;
        private double adamBeta2;
        private double adamEpsilon;
        private SchedulerType lrSchedulerType;
        private double warmupRatio;
        private long warmupSteps;
        private double maxGradNorm;
        private long loggingSteps;
        private long evalSteps;
        private long saveSteps;
        private int saveTotalLimit;
        private String metricForBestModel;
        private boolean greaterIsBetter;
        private long seed;
        private boolean fp16;
        private double fp16InitialScale;
        private String device;
        private String resumeFromCheckpoint;

        public Builder outputDir(String value) { this.outputDir = value; return this; }
        public Builder numTrainEpochs(double value) { this.numTrainEpochs = value; return this; }
        public Builder maxSteps(long value) { this.maxSteps = value; return this; }
        public Builder perDeviceTrainBatchSize(int value) { this.perDeviceTrainBatchSize = value; return this; }
        public Builder perDeviceEvalBatchSize(int value) { this.perDeviceEvalBatchSize = value; return this; }
        public Builder gradientAccumulationSteps(int value) { this.gradientAccumulationSteps = value; return this; }
        public Builder learningRate(double value) { this.learningRate = value; return this; }
        public Builder weightDecay(double value) { this.weightDecay = value; return this; }
        public Builder adamBeta1(double value) { this.adamBeta1 = value; return this; }
        public Builder adamBeta2(double value) { this.adamBeta2 = value; return this; }
        public Builder adamEpsilon(double value) { this.adamEpsilon = value; return this; }
        public Builder lrSchedulerType(SchedulerType value) { this.lrSchedulerType = value; return this; }
        public Builder warmupRatio(double value) { this.warmupRatio = value; return this; }
        public Builder warmupSteps(long value) { this.warmupSteps = value; return this; }
        public Builder maxGradNorm(double value) { this.maxGradNorm = value; return this; }
        public Builder loggingSteps(long value) { this.loggingSteps = value; return this; }
        public Builder evalSteps(long value) { this.evalSteps = value; return this; }
        public Builder saveSteps(long value) { this.saveSteps = value; return this; }
        public Builder saveTotalLimit(int value) { this.saveTotalLimit = value; return this; }
        public Builder metricForBestModel(String value) { this.metricForBestModel = value; return this; }
        public Builder greaterIsBetter(boolean value) { this.greaterIsBetter = value; return this; }
        public Builder seed(long value) { this.seed = value; return this; }
        public Builder fp16(boolean value) { this.fp16 = value; return this; }
        public Builder fp16InitialScale(double value) { this.fp16InitialScale = value; return this; }
        public Builder device(String value) { this.device = value; return this; }
        public Builder resumeFromCheckpoint(String value) { this.resumeFromCheckpoint = value; return this; }

        public TrainingArgs build() {
            return new TrainingArgs(
                    outputDir,
                    numTrainEpochs,
                    maxSteps,
                    perDeviceTrainBatchSize,
                    perDeviceEvalBatchSize,
                    gradientAccumulationSteps,
                    learningRate,
                    weightDecay,
                    adamBeta1,
                    adamBeta2,
                    adamEpsilon,
                    lrSchedulerType,
                    warmupRatio,
                    warmupSteps,
                    maxGradNorm,
                    loggingSteps,
                    evalSteps,
                    saveSteps,
                    saveTotalLimit,
                    metricForBestModel,
                    greaterIsBetter,
                    seed,
                    fp16,
                    fp16InitialScale,
                    device,
                    resumeFromCheckpoint);
        }
    }
}
