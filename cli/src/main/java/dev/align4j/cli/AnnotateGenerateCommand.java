package dev.align4j.cli;

import dev.align4j.annotate.PairGenerator;
import dev.align4j.core.UserInputException;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.ChatPrompts;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j annotate generate}: pairs to annotate, two (or more) samples per prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample N responses per prompt with per-sample seeds and write the distinct ones as "
                + "{id, prompt, responses: [a, b]} pairs (identical samples dropped).")
final class AnnotateGenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = "--prompts", required = true, paramLabel = "FILE",
            description = "prompts: {prompt} records, or any data file (its prompts are used)")
    Path prompts;

    @Option(names = "--n", defaultValue = "2", description = "samples per prompt; distinct ones pair up in order "
            + "(default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "pairs JSONL")
    Path out;

    @Option(names = "--batch-size", defaultValue = "16", description = "prompts per generation batch "
            + "(default: ${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() {
        PairGenerator.Options o;
        try {
            o = new PairGenerator.Options(n, sampling.seed, batchSize);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--n/--batch-size: " + e.getMessage(), e);
        }
        if (!(sampling.temperature > 0)) {
            throw new UserInputException("--temperature: must be > 0: greedy samples of one prompt are identical");
        }
        if (Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + ": is a folder; give a file name");
        }
        SamplingParams.Builder builder = sampling.builder();
        List<List<Message>> ps = DatasetLoader.load(prompts, LoadOptions.defaults().withPromptsOnly(true))
                .examples().stream().map(Example::prompt).toList();
        long start = System.nanoTime();
        PairGenerator.Result r;
        try (ModelBundle bundle = model.load()) {
            SamplingParams params = SamplingOptions.check(ChatPrompts.withStops(builder, sampling.stop,
                    bundle.tokenizer(), bundle.template()));
            r = PairGenerator.generate(bundle, ps, params, o);
        }
        StringBuilder sb = new StringBuilder();
        r.pairs().forEach(p -> sb.append(Json.line(PairGenerator.record(p))).append('\n'));
        AtomicFiles.writeString(out, sb.toString());
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%d pairs from %d prompts x %d samples (%d identical and %d blank samples dropped) "
                + "in %.1f s -> %s%n", r.pairs().size(), ps.size(), n, r.identical(), r.blank(),
                (System.nanoTime() - start) / 1e9, out);
        pw.flush();
        return 0;
    }
}
