package dev.align4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.peft.Adapters;
import dev.align4j.core.peft.Lora;
import dev.align4j.core.peft.LoraAdapter;
import dev.align4j.core.peft.Peft;
import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.ChatTemplate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine;

/** Tiny model folders (byte tokenizer, d=32) and a way to run one command, for the CLI tests. */
final class TinyModelDirs {

    static final ByteTokenizer TOK = new ByteTokenizer();

    private TinyModelDirs() {
    }

    static ModelConfig gpt2() {
        return ModelConfig.gpt2(TOK.vocabSize(), 128, 32, 1, 2);
    }

    static ModelConfig llama() {
        return ModelConfig.llama(TOK.vocabSize(), 128, 32, 2, 4, 2);
    }

    /** Saves a freshly initialised model with {@code template} into {@code dir}. */
    static Path save(Path dir, ModelConfig cfg, ChatTemplate template, long seed, Map<String, ?> provenance) {
        try (ModelBundle b = ModelBundle.create(cfg, TOK, template, Device.cpu(), seed)) {
            b.save(dir, provenance);
        }
        return dir;
    }

    /**
     * Saves a LoRA adapter (r=4 on every linear layer) for the model in {@code baseDir} whose A and B
     * are random, as if trained, so that it changes the model's output.
     */
    static Path adapter(Path baseDir, Path dir, long seed) throws Exception {
        try (ModelBundle b = ModelBundle.load(baseDir, Device.cpu(), null)) {
            CausalLM model = b.model();
            String hash = Adapters.baseModelHash(model);
            PeftConfig peft = PeftConfig.lora(PeftMethod.LORA, 4, 8, List.of("all-linear"));
            Peft.apply(model, peft, b.manager());
            Random r = new Random(seed);
            for (LoraAdapter a : Lora.adapters(model).values()) {
                for (Parameter p : a.ownParameters().values()) {
                    float[] v = new float[(int) p.getArray().size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (0.3 * r.nextGaussian());
                    }
                    p.getArray().set(v);
                }
            }
            Adapters.save(dir, model, peft, hash);
        }
        return dir;
    }

    /** Logits (1, T, V) of {@code ids} as a flat array. */
    static float[] logits(CausalLM model, int... ids) {
        NDArray x = model.embedTokens().weight().getArray().getManager().create(ids, new Shape(1, ids.length));
        try (x) {
            return model.forward(x, null, false).logits().toFloatArray();
        }
    }

    /** One run of {@code command} (a fresh instance) under Main's error handling. */
    record Result(int code, String out, String err) {
    }

    static Result run(Object command, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(command);
        Main.configure(cl);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
