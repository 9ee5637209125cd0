package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.bench.BenchShape;
import dev.align4j.bench.Benchmark;
import dev.align4j.bench.Sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j bench}: training and generation throughput of the peer script's model, as JSON. */
@Command(name = "bench",
        description = {"Measure SFT, DPO, LoRA/QLoRA and generation throughput on the peer benchmark's"
                + " GPT-2 shape and print JSON.",
                "Compare with PyTorch eager: bench/compare.sh (runs ../shared/peers/torch_gpt_bench.py"
                + " and this command back to back and prints the ratios).",
                "--sweep: SFT tokens/s, MFU, peak RSS and weights + optimizer bytes over a grid of d, layers"
                + " and context (default d 256,512,768 x layers 4,8 x context 128,256,512)."})
final class BenchCommand implements Callable<Integer> {

    enum Section { SFT, DPO, GEN, PEFT, PPO }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "K=V,...",
            description = "Shape: vocab, ctx, layers, d, heads, batch, steps, warm (default"
                    + " vocab=8192,ctx=256,layers=4,d=256,heads=4,batch=8,steps=12,warm=3).")
    String config;

    @Option(names = "--sections", split = ",", paramLabel = "S",
            description = "Sections to run: ${COMPLETION-CANDIDATES} (default all).")
    EnumSet<Section> sections = EnumSet.allOf(Section.class);

    @Option(names = "--soak", paramLabel = "N",
            description = "Also run N full SFT steps and report RSS at step 100 and N (memory flatness).")
    long soak;

    @Option(names = "--device", description = "auto, cpu, gpu or gpu:N (default auto).")
    String device = "auto";

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON report here.")
    Path json;

    @Option(names = "--sweep", description = "Run the scaling sweep instead of the sections (full SFT step per"
            + " point, 2 warm-up + 3 timed steps).")
    boolean sweep;

    @Option(names = "--sweep-d", paramLabel = "N,...", description = "Widths (default 256,512,768; multiples of 64,"
            + " heads = d / 64).")
    String sweepD;

    @Option(names = "--sweep-layers", paramLabel = "N,...", description = "Depths (default 4,8).")
    String sweepLayers;

    @Option(names = "--sweep-context", paramLabel = "N,...", description = "Context lengths (default 128,256,512).")
    String sweepContext;

    @Option(names = "--sweep-batch", paramLabel = "N", description = "Sequences per step in the sweep (default 2).")
    Integer sweepBatch;

    @Override
    public Integer call() {
        Sweep.Grid grid = sweepGrid();
        if (grid != null) {
            return runSweep(grid);
        }
        BenchShape shape = BenchShape.parse(config);
        if (soak != 0 && soak < 100) {
            throw new UserInputException("--soak: must be >= 100 (RSS is sampled at step 100), got " + soak);
        }
        Path scratch = Benchmark.scratchDir();
        try {
            Benchmark bench = new Benchmark(shape, device, scratch);
            Map<String, Object> report = bench.run(new Benchmark.Options(
                    sections.contains(Section.SFT), sections.contains(Section.DPO),
                    sections.contains(Section.GEN), sections.contains(Section.PEFT), sections.contains(Section.PPO),
                    soak));
            return print(report);
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    /** Writes the report as JSON to --json (when given) and to standard output; exit code 0. */
    private int print(Object report) {
        String text = Json.pretty(report);
        if (json != null) {
            AtomicFiles.writeString(json, text);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(text.strip());
        out.flush();
        return 0;
    }

    /** The sweep's grid, null without --sweep; the sweep flags alone, or --sweep with section flags, are errors. */
    private Sweep.Grid sweepGrid() {
        String[] own = {"--sweep-d", "--sweep-layers", "--sweep-context", "--sweep-batch"};
        var parsed = spec.commandLine().getParseResult();
        if (!sweep) {
            for (String o : own) {
                if (parsed.hasMatchedOption(o)) {
                    throw new UserInputException(o + ": only with --sweep");
                }
            }
            return null;
        }
        for (String o : new String[] {"--config", "--sections", "--soak"}) {
            if (parsed.hasMatchedOption(o)) {
                throw new UserInputException(o + ": not used by --sweep (narrow it with "
                        + String.join(", ", own) + ")");
            }
        }
        Sweep.Grid g = Sweep.Grid.defaults();
        List<Integer> d = Sweep.parseList("--sweep-d", sweepD, g.d());
        List<Integer> layers = Sweep.parseList("--sweep-layers", sweepLayers, g.layers());
        List<Integer> context = Sweep.parseList("--sweep-context", sweepContext, g.context());
        int batch = sweepBatch == null ? g.batch() : sweepBatch;
        return new Sweep.Grid(d, layers, context, g.vocab(), batch, g.headSize(), g.warm(), g.steps());
    }

    private int runSweep(Sweep.Grid grid) {
        checkJsonTarget();
        Path scratch = Benchmark.scratchDir();
        try {
            return print(new Sweep(grid, device, scratch).run());
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    /** Fails before the work starts when --json cannot be written (a folder, or no writable parent folder). */
    private void checkJsonTarget() {
        if (json == null) {
            return;
        }
        Path parent = json.toAbsolutePath().getParent();
        if (java.nio.file.Files.isDirectory(json)) {
            throw new UserInputException("--json: " + json + " is a folder");
        }
        if (parent == null || !java.nio.file.Files.isDirectory(parent) || !java.nio.file.Files.isWritable(parent)) {
            throw new UserInputException("--json: " + json + ": folder " + parent
                    + " does not exist or is not writable");
        }
    }
}
