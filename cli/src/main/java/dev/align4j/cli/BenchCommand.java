package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.bench.BenchShape;
import dev.align4j.bench.Benchmark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
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
                + " and this command back to back and prints the ratios)."})
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

    @Override
    public Integer call() {
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
            String text = Json.pretty(report);
            if (json != null) {
                AtomicFiles.writeString(json, text);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(text.strip());
            out.flush();
            return 0;
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }
}
