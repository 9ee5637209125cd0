package dev.align4j.cli;

import dev.align4j.core.config.Interrupts;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.template.ChatPrompts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j chat}: talk to a model on stdin/stdout. Each reply continues the whole conversation
 * rendered with the model's chat template and is printed as it is generated. Lines starting with
 * {@code /} are commands ({@code /help}).
 */
@Command(name = "chat", description = "Chat with a model in the terminal (multi-turn, streamed; /help for commands).")
final class ChatCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Option(names = "--system", paramLabel = "TEXT", description = "system prompt (default: the template's, if any)")
    String system;

    private final InputStream in;

    /** The session of the last {@link #call}, for tests. */
    ChatSession session;

    ChatCommand() {
        this(System.in);
    }

    /** A chat reading its input from {@code in} (tests feed a byte stream). */
    ChatCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public Integer call() throws IOException {
        SamplingParams.Builder builder = sampling.builder();
        // nothing to save: Ctrl-C may end the JVM at once instead of waiting out the grace period
        Interrupts.workFinished();
        PrintWriter out = spec.commandLine().getOut();
        try (ModelBundle bundle = model.load()) {
            SamplingParams params = SamplingOptions.check(
                    ChatPrompts.withStops(builder, sampling.stop, bundle.tokenizer(), bundle.template()));
            session = new ChatSession(new Generator(bundle.model(), bundle.tokenizer()), bundle.tokenizer(),
                    bundle.template(), bundle.config().contextLength(), params, system, out);
            out.println("chat with " + model.describe() + " (template " + bundle.template().name()
                    + "); /help for commands, /exit or Ctrl-D to quit");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            while (true) {
                out.print("> ");
                out.flush();
                String line = reader.readLine();
                if (line == null) {
                    out.println();
                    break;
                }
                if (!session.handle(line)) {
                    break;
                }
            }
            out.flush();
        }
        return 0;
    }
}
