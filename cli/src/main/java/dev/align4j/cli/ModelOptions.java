package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.train.Devices;
import dev.align4j.datasets.bundle.ModelBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --model DIR [--adapter DIR] [--device D] [--template T]}: the options of every command
 * that loads a trained model (generate, chat, export). Use as a picocli {@code @Mixin}.
 */
public final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "model folder (align4j or Hugging Face layout)")
    Path model;

    @Option(names = "--adapter", paramLabel = "DIR",
            description = "LoRA/QLoRA adapter folder trained on this model; merged into the weights")
    Path adapter;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "D",
            description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--template", paramLabel = "NAME|FILE",
            description = "chat template to use instead of the model's own (alpaca, chatml, llama3, plain or a file)")
    String template;

    /** Fails with the path named when the model or adapter folder is not there; touches nothing. */
    void check() {
        ModelFolder.detect(model);
        if (adapter != null && !Files.isDirectory(adapter)) {
            throw new UserInputException(adapter + ": adapter folder not found");
        }
    }

    /** The model with the adapter (if any) merged in; the caller closes it. */
    ModelBundle load() {
        check();
        ModelBundle bundle = ModelBundle.load(model, Devices.resolve(device), template);
        try {
            if (adapter != null) {
                bundle.applyAdapter(adapter, true);
            }
            return bundle;
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /** For people: the model folder, and the adapter after a '+'. */
    String describe() {
        return model + (adapter == null ? "" : " + " + adapter);
    }
}
