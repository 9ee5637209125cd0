package dev.align4j.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.align4j.core.gen.GenerationBench;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.LogProbs;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.train.BatchSource;
import dev.align4j.core.train.Devices;
import dev.align4j.core.train.LossFunction;
import dev.align4j.core.train.SchedulerType;
import dev.align4j.core.train.StepOutput;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.core.train.TrainingEngine;
import dev.align4j.dpo.DpoLoss;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code align4j bench}: the peer script's model (GPT-2 layout, exact GELU, LayerNorm, tied head)
 * trained and sampled through the project's own model, training loop ({@link TrainingEngine} with
 * AdamW and global-norm clipping), losses and generator. Every figure is a median over timed steps
 * after warm-up; nothing here is a test.
 */
public final class Benchmark {

    private static final Logger LOG = LogManager.getLogger(Benchmark.class);

    /** Which sections to run. */
    public record Options(boolean sft, boolean dpo, boolean generation, boolean peft, boolean ppo, long soakSteps) {
        public static Options all() {
            return new Options(true, true, true, true, true, 0);
        }
    }

    private final BenchShape shape;
    private final String deviceSpec;
    private final Device device;
    private final Path scratch;

    /** @param deviceSpec auto, cpu, gpu or gpu:N (see {@link Devices#resolve}) */
    public Benchmark(BenchShape shape, String deviceSpec, Path scratch) {
        this.shape = shape;
        this.deviceSpec = deviceSpec;
        this.device = Devices.resolve(deviceSpec);
        this.scratch = scratch;
    }

    ModelConfig modelConfig() {
        return ModelConfig.gpt2(shape.vocab(), shape.ctx(), shape.d(), shape.layers(), shape.heads());
    }

    /** Runs the chosen sections and returns the JSON report as an ordered map. */
    public Map<String, Object> run(Options o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("config", shape.asMap());
        out.put("settings", settings());
        double gflops = matmulGflops();
        out.put("matmul_gflops", round(gflops, 1));
        if (o.sft()) {
            Map<String, Object> full = sft(PeftMethod.FULL, 0);
            double tps = (double) full.get("tokens_per_s");
            out.put("sft_tokens_per_s", tps);
            out.put("sft_step_ms", full.get("step_ms"));
            double flopsPerToken = flopsPerToken();
            out.put("model_flops_per_token", (long) flopsPerToken);
            out.put("mfu", round(tps * flopsPerToken / (gflops * 1e9), 4));
            out.put("full_weights_plus_optimizer_bytes", full.get("weights_plus_optimizer_bytes"));
            out.put("sft_step_breakdown_ms", SftBreakdown.run(modelConfig(), device, shape.batch(), shape.warm(),
                    Math.max(1, shape.steps())));
        }
        if (o.peft()) {
            Map<String, Object> lora = sft(PeftMethod.LORA, 0);
            Map<String, Object> qlora = sft(PeftMethod.QLORA, 0);
            out.put("lora_sft_tokens_per_s", lora.get("tokens_per_s"));
            out.put("qlora_sft_tokens_per_s", qlora.get("tokens_per_s"));
            out.put("lora_weights_plus_optimizer_bytes", lora.get("weights_plus_optimizer_bytes"));
            out.put("qlora_weights_plus_optimizer_bytes", qlora.get("weights_plus_optimizer_bytes"));
            out.put("lora_trainable_parameters", lora.get("trainable_parameters"));
        }
        if (o.dpo()) {
            out.put("dpo_pairs_per_s", dpoPairsPerSecond());
            out.put("dpo_note", "reference log-probs precomputed once, as align4j's DPO trainer does;"
                    + " the peer recomputes them with a second model every step");
        }
        if (o.generation()) {
            out.putAll(generation());
        }
        if (o.ppo()) {
            out.putAll(PpoBench.run(modelConfig(), device, shape.batch(), 3));
            out.putAll(GrpoBench.run(modelConfig(), device, shape.batch(), 3));
        }
        if (o.soakSteps() > 0) {
            Map<String, Object> soak = sft(PeftMethod.FULL, o.soakSteps());
            out.put("soak_steps", o.soakSteps());
            out.put("rss_mb_at_step_100", ((long[]) soak.get("rss"))[0]);
            out.put("rss_mb_at_last_step", ((long[]) soak.get("rss"))[1]);
            out.put("soak_memory_every_100_steps", soak.get("memory_series"));
            out.put("soak_rss_growth_mb_second_half", soak.get("rss_growth_second_half"));
        }
        out.put("peak_rss_mb", StepTimer.peakRssMb());
        return out;
    }

    Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        s.put("device", device.toString());
        s.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        s.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        s.put("cpus", Runtime.getRuntime().availableProcessors());
        s.put("torch_threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
        s.put("torch_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "default"));
        return s;
    }

    /** fp32 1024x1024 matmul rate through DJL in this process: 2 n^3 FLOPs per product. */
    double matmulGflops() {
        int n = 1024;
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            for (int i = 0; i < 3; i++) {
                a.matMul(b).close();
            }
            int reps = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // wait for the kernel (matters on GPU)
                c.close();
            }
            double s = (System.nanoTime() - t0) / 1e9 / reps;
            return 2.0 * n * n * n / s / 1e9;
        }
    }

    /**
     * Training FLOPs per token: 6 N (forward + backward through every weight the token touches; the
     * position table is a lookup, so it is left out) + 12 L T d for attention scores and values
     * (Kaplan et al. 2020, table 1; PaLM appendix B).
     */
    double flopsPerToken() {
        CausalLM model = new CausalLM(modelConfig());
        long n = model.namedParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
        n -= (long) shape.ctx() * shape.d();
        return 6.0 * n + 12.0 * shape.layers() * shape.ctx() * shape.d();
    }

    /** SFT steps through the engine; {@code soak} > 0 runs that many steps and samples RSS. */
    Map<String, Object> sft(PeftMethod method, long soak) {
        int b = shape.batch();
        int t = shape.ctx();
        Random r = new Random(0);
        int[] x = r.ints((long) b * t, 0, shape.vocab()).toArray();
        int[] y = r.ints((long) b * t, 0, shape.vocab()).toArray();
        long steps = soak > 0 ? soak : shape.warm() + shape.steps();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(0);
            CausalLM model = new CausalLM(modelConfig());
            model.initialize(manager, DataType.FLOAT32);
            Map<String, Parameter> trainable = Peft.apply(model, peftConfig(method), manager);
            long trainableCount = trainable.values().stream().mapToLong(p -> p.getArray().size()).sum();
            long bytes = Peft.weightBytes(model) + 2L * 4 * trainableCount;
            LossFunction<NDList> loss = (batch, m) -> {
                NDArray logits = model.forward(batch.get(0), null, true).logits();
                return StepOutput.of(LogProbs.crossEntropy(logits, batch.get(1), batch.get(2)));
            };
            StepTimer timer = soak > 0 ? new StepTimer(100, soak) : new StepTimer();
            runEngine(trainable, modelParams(model), steps, new Fixed(b, t, x, y, null), loss, timer,
                    "sft-" + method.name().toLowerCase());
            Map<String, Object> res = new LinkedHashMap<>();
            double step = timer.medianSeconds(soak > 0 ? 5 : shape.warm());
            res.put("tokens_per_s", round(b * t / step, 1));
            res.put("step_ms", round(step * 1000, 1));
            res.put("trainable_parameters", trainableCount);
            res.put("weights_plus_optimizer_bytes", bytes);
            res.put("rss", timer.rssMbAtSteps());
            if (soak > 0) {
                res.put("memory_series", timer.memorySeries());
                res.put("rss_growth_second_half", timer.rssGrowthSecondHalf());
            }
            LOG.info("bench sft {}: {} tokens/s", method, res.get("tokens_per_s"));
            return res;
        }
    }

    private static PeftConfig peftConfig(PeftMethod method) {
        return method == PeftMethod.FULL ? PeftConfig.of(PeftMethod.FULL)
                : PeftConfig.lora(method, 8, 16, List.of("all-linear"));
    }

    /** Initialised parameters only (QLoRA leaves the quantized layers' dense weights empty). */
    private static Map<String, Parameter> modelParams(CausalLM model) {
        Map<String, Parameter> all = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> {
            if (p.isInitialized()) {
                all.put(k, p);
            }
        });
        return all;
    }

    /**
     * DPO steps on batch/2 pairs of full-length sequences: one policy forward over chosen and
     * rejected together, the sigmoid loss against reference log-probs computed once up front.
     */
    private double dpoPairsPerSecond() {
        int b = shape.batch();
        int half = b / 2;
        int t = shape.ctx();
        Random r = new Random(0);
        int[] ids = r.ints((long) 2 * half * t, 0, shape.vocab()).toArray();
        // targets: next token, last position masked out
        int[] targets = new int[ids.length];
        float[] mask = new float[ids.length];
        for (int i = 0; i < 2 * half; i++) {
            for (int j = 0; j < t - 1; j++) {
                targets[i * t + j] = ids[i * t + j + 1];
                mask[i * t + j] = 1;
            }
        }
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(0);
            CausalLM model = new CausalLM(modelConfig());
            model.initialize(manager, DataType.FLOAT32);
            float[] ref;
            try (NDManager m = manager.newSubManager()) {
                NDList batch = new Fixed(2 * half, t, ids, targets, mask).batch(0, 0, 0, m);
                ref = sequenceLogProbs(model, batch, false).toFloatArray();
            }
            float[] refC = java.util.Arrays.copyOfRange(ref, 0, half);
            float[] refR = java.util.Arrays.copyOfRange(ref, half, 2 * half);
            LossFunction<NDList> loss = (batch, m) -> {
                NDArray lp = sequenceLogProbs(model, batch, true);
                NDArray c = lp.get("0:" + half);
                NDArray rj = lp.get(half + ":");
                DpoLoss.Result res = DpoLoss.sigmoid(c, rj, m.create(refC), m.create(refR), 0.1, 0);
                return StepOutput.of(res.losses().mean());
            };
            StepTimer timer = new StepTimer();
            runEngine(model.namedParameters(), model.namedParameters(),
                    shape.warm() + shape.steps(), new Fixed(2 * half, t, ids, targets, mask), loss,
                    timer, "dpo");
            double pairs = half / timer.medianSeconds(shape.warm());
            LOG.info("bench dpo: {} pairs/s", round(pairs, 2));
            return round(pairs, 2);
        }
    }

    private static NDArray sequenceLogProbs(CausalLM model, NDList batch, boolean training) {
        NDArray logits = model.forward(batch.get(0), null, training).logits();
        return LogProbs.maskedSum(LogProbs.tokenLogProbs(logits, batch.get(1)), batch.get(2));
    }

    private Map<String, Object> generation() {
        Map<String, Object> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed(0);
            CausalLM model = new CausalLM(modelConfig());
            model.initialize(manager, DataType.FLOAT32);
            // the peer's setup (32-token prompt, 64 new tokens), shrunk for contexts under 96
            int promptLen = Math.min(32, shape.ctx() / 3);
            int newTokens = Math.min(64, shape.ctx() - promptLen);
            Random r = new Random(0);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < shape.batch(); i++) {
                prompts.add(r.ints(promptLen, 0, shape.vocab()).toArray());
            }
            SamplingParams p = SamplingParams.builder().temperature(1.0).topK(50)
                    .maxNewTokens(newTokens).seed(0).build();
            GenerationBench.Result g = GenerationBench.run(model, prompts, p, 3);
            out.put("gen_tokens_per_s", round(g.cachedTokensPerSecond(), 1));
            out.put("gen_uncached_tokens_per_s", round(g.uncachedTokensPerSecond(), 1));
            out.put("gen_cache_speedup", round(g.speedup(), 2));
            out.put("gen_setup", "batch " + shape.batch() + ", " + promptLen + "-token prompt, "
                    + newTokens + " new tokens, temperature 1, top-k 50");
        }
        return out;
    }

    private void runEngine(Map<String, Parameter> trainable, Map<String, Parameter> all, long steps,
            BatchSource<NDList> data, LossFunction<NDList> loss, StepTimer timer, String name) {
        Path out = scratch.resolve(name);
        AtomicFiles.deleteTree(out);
        TrainingArgs args = TrainingArgs.builder()
                .outputDir(out.toString())
                .maxSteps(steps)
                .perDeviceTrainBatchSize(shape.batch())
                .gradientAccumulationSteps(1)
                .learningRate(3e-4)
                .weightDecay(0.1)
                .maxGradNorm(1.0)
                .lrSchedulerType(SchedulerType.CONSTANT)
                .warmupSteps(0)
                .warmupRatio(0)
                .loggingSteps(Math.max(1, steps))
                .evalSteps(0)
                .saveSteps(0)
                .seed(0)
                .device(deviceSpec)
                .build();
        timer.start();
        TrainingEngine.<NDList>builder().setParameters(trainable).optModelParameters(all)
                .setArgs(args).setData(data).setLoss(loss).optListener(timer).build().run();
        AtomicFiles.deleteTree(out);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The same (B, T) token arrays every micro-batch, as the peer does. */
    private record Fixed(int b, int t, int[] x, int[] y, float[] mask) implements BatchSource<NDList> {
        @Override
        public long size() {
            return b;
        }

        @Override
        public long batchesPerEpoch() {
            return 1;
        }

        @Override
        public NDList batch(long seed, long epoch, long index, NDManager m) {
            Shape s = new Shape(b, t);
            NDArray maskArray = mask == null ? m.ones(s) : m.create(mask, s);
            return new NDList(m.create(x, s), m.create(y, s), maskArray);
        }

        @Override
        public long tokenCount(NDList batch) {
            return (long) b * t;
        }
    }

    /** Creates the scratch folder for engine runs. */
    public static Path scratchDir() {
        try {
            return Files.createTempDirectory("align4j-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
