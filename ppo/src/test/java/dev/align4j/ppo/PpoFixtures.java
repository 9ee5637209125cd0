package dev.align4j.ppo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.model.ScalarHead;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.bundle.RewardBundle;
import dev.align4j.datasets.bundle.RewardStats;
import dev.align4j.datasets.template.Templates;
import dev.align4j.datasets.tokenize.PreferenceEncoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models, reward model folders and prompts for the PPO tests. */
final class PpoFixtures {

    private PpoFixtures() {}

    /** A 1-layer d=16 GPT-2 over bytes (context 32) with the plain template, saved to {@code dir}. */
    static Path policy(Path dir, long seed) {
        ByteTokenizer tok = new ByteTokenizer();
        try (ModelBundle b = ModelBundle.create(ModelConfig.gpt2(tok.vocabSize(), 32, 16, 1, 2), tok, Templates.PLAIN,
                Device.cpu(), seed)) {
            b.save(dir, Map.of("what", "random test policy"));
        }
        return dir;
    }

    /** A reward model folder on the policy in {@code policyDir} with a random head and stats (0.1, 2). */
    static Path rewardModel(Path policyDir, Path dir, long seed) {
        ModelBundle base = ModelBundle.load(policyDir, Device.cpu(), null);
        try (RewardBundle rm = RewardBundle.create(base, new PreferenceEncoder.Config(32, 16))) {
            Random r = new Random(seed);
            for (Parameter p : rm.headParameters().values()) {
                float[] v = new float[(int) p.getArray().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
                p.getArray().set(v);
            }
            rm.setStats(new RewardStats(0.1, 2.0, 0, "test"));
            rm.save(dir, Map.of("max_length", 32, "max_prompt_length", 16), Map.of());
        }
        return dir;
    }

    /** {@code n} short prompts of letters. */
    static Path prompts(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0; k < 2 + r.nextInt(3); k++) {
                w.append((char) ('a' + r.nextInt(6)));
            }
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("prompt", w.toString());
            lines.add(Json.line(rec));
        }
        Files.write(file, lines);
        return file;
    }

    /** A small, fast PPO config on the three paths. */
    static PpoConfig config(Path policy, Path rm, Path prompts, int iterations) {
        return new PpoConfig(policy.toString(), rm.toString(), prompts.toString(), null, 8, 4, 2, 6, null, null,
                null, 0.05, null, null, null, null, null, null, null, null, null, null, iterations, null, null,
                null, 4, null, null);
    }

    static TrainingArgs.Builder args(Path out) {
        return TrainingArgs.builder().outputDir(out.toString()).perDeviceTrainBatchSize(2).perDeviceEvalBatchSize(8)
                .learningRate(1e-3).saveSteps(0).device("cpu").seed(5);
    }

    /** A fresh CausalLM of {@code cfg} on {@code m}, initialised from {@code seed}. */
    static CausalLM model(ModelConfig cfg, NDManager m, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        CausalLM model = new CausalLM(cfg);
        model.initialize(m, DataType.FLOAT32);
        return model;
    }

    /** A critic of shape {@code cfg} with a zero head. */
    static Critic critic(ModelConfig cfg, NDManager m, long seed) {
        CausalLM backbone = model(cfg, m, seed);
        ScalarHead head = new ScalarHead(cfg.dModel());
        head.initialize(m, DataType.FLOAT32);
        return new Critic(backbone, head);
    }

    /** Copies of every parameter's values by name. */
    static Map<String, float[]> snapshot(Map<String, Parameter> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
        return out;
    }
}
