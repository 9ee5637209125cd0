package dev.align4j.examples;

import dev.align4j.core.peft.PeftConfig;
import dev.align4j.core.peft.PeftMethod;
import dev.align4j.core.run.RunResult;
import dev.align4j.core.train.TrainingArgs;
import dev.align4j.dpo.DpoConfig;
import dev.align4j.dpo.DpoTrainer;
import dev.align4j.reward.RewardConfig;
import dev.align4j.reward.RewardSettings;
import dev.align4j.reward.RewardTrainer;
import dev.align4j.sft.SftConfig;
import dev.align4j.sft.SftTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** SFT with LoRA, a reward model and DPO from Java code, on data it writes itself; seconds on a CPU. */
public final class JavaApiExample {
    public static void main(String[] argv) throws IOException {
        Path work = argv.length > 0 ? Path.of(argv[0]) : Files.createTempDirectory("align4j-java-api");
        run(work).forEach(r -> System.out.println(r.runDir() + ": " + r.steps() + " steps, " + r.metrics()));
    }

    /** The three runs, each in its own folder under {@code work}. */
    public static List<RunResult> run(Path work) throws IOException {
        String sftData = write(work.resolve("sft.jsonl"),
                i -> "{\"prompt\": \"Item " + i + " is\", \"completion\": \" good.\"}");
        String pairs = write(work.resolve("pairs.jsonl"),
                i -> "{\"prompt\": \"Item " + i + " is\", \"chosen\": \" good.\", \"rejected\": \" bad.\"}");
        PeftConfig lora = PeftConfig.builder().method(PeftMethod.LORA).loraR(4).loraAlpha(8.0).build();

        // 1. SFT: LoRA adapters on a fresh tiny GPT-2-style model with the byte tokenizer
        RunResult sft = SftTrainer.train(args(TrainingArgs.builder(), work.resolve("sft"), 5e-3), lora,
                SftConfig.builder().data(List.of(sftData)).modelConfig("tiny").cutoffLen(64).numSamples(2).build());
        String model = sft.modelDir().toString(); // adapters merged into model/, also kept in adapter/

        // 2. a reward model on the SFT model, with the reward defaults a config file gets (full fine-tuning)
        RunResult rm = RewardTrainer.train(args(RewardSettings.trainingDefaults(), work.resolve("rm"), 1e-3),
                RewardSettings.defaultPeft(), RewardConfig.builder().model(model).data(pairs).maxLength(64).build());

        // 3. DPO from the SFT model; with LoRA the reference is the policy with its adapters off
        RunResult dpo = DpoTrainer.train(args(TrainingArgs.builder(), work.resolve("dpo"), 1e-3), lora,
                DpoConfig.builder().model(model).data(pairs).beta(0.1).sampleN(2).maxNewTokens(8).build());
        return List.of(sft, rm, dpo);
    }

    private static TrainingArgs args(TrainingArgs.Builder b, Path dir, double lr) {
        return b.outputDir(dir.toString()).maxSteps(8).perDeviceTrainBatchSize(4).learningRate(lr).build();
    }

    private static String write(Path file, IntFunction<String> line) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, IntStream.range(0, 16).mapToObj(line).toList()).toString();
    }
}
