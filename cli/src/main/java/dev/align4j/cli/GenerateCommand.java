package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import dev.align4j.core.gen.BatchedGeneration;
import dev.align4j.core.gen.Generation;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.io.AtomicFiles;
import dev.align4j.core.io.Json;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.template.ChatPrompts;
import dev.align4j.datasets.template.ChatTemplate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code align4j generate}: completions for prompts given on the command line or in a data file,
 * one JSON line each: {@code {"prompt", "completion", "tokens", "finish_reason"}} ({@code tokens}
 * is the number of new tokens). Request i samples with seed {@code SamplingParams.rowSeed(--seed, i)}, so the output does
 * not depend on {@code --batch-size}. {@code --max-new-tokens} is lowered, with a warning, to what the
 * context leaves after the longest prompt.
 */
@Command(name = "generate", description = "Generate completions for prompts with a model (and adapter).")
final class GenerateCommand implements Callable<Integer> {

    private static final Logger LOG = LogManager.getLogger(GenerateCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    static final class Prompts {
        @Option(names = "--prompt", paramLabel = "TEXT", required = true,
                description = "a prompt (repeatable); rendered as a user turn with the model's template")
        List<String> texts;

        @Option(names = "--prompts", paramLabel = "FILE", required = true,
                description = "data file of any format; each record's prompt is used")
        Path file;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompts prompts;

    @Option(names = "--out", paramLabel = "FILE", description = "JSONL output (default: stdout)")
    Path out;

    @Option(names = "--batch-size", defaultValue = "8", description = "prompts per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--raw", description = "send the prompt text as it is: no template, no BOS")
    boolean raw;

    /** One request: what to show as its prompt, and its ids. */
    private record Request(String shown, int[] ids) {
    }

    @Override
    public Integer call() throws IOException {
        if (batchSize < 1) {
            throw new UserInputException("--batch-size: must be at least 1, got " + batchSize);
        }
        if (out != null && Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + ": is a folder; give a file name");
        }
        SamplingParams.Builder builder = sampling.builder();
        List<PromptSource> sources = readPrompts();
        try (ModelBundle bundle = model.load()) {
            Tokenizer tok = bundle.tokenizer();
            ChatTemplate template = raw ? null : bundle.template();
            SamplingParams params = SamplingOptions.check(ChatPrompts.withStops(builder, sampling.stop, tok, template));
            List<Request> requests = encode(sources, tok, template, bundle.config().contextLength());
            params = fitToContext(params, requests, bundle.config().contextLength());
            LOG.info("generating for {} prompts with {} (template {})", requests.size(), model.describe(),
                    raw ? "none (--raw)" : template.name());
            if (out == null) {
                PrintWriter pw = spec.commandLine().getOut();
                long tokens = run(new Generator(bundle.model(), tok), requests, params, pw, false);
                pw.flush();
                return tokens < 0 ? stopped("the lines above are complete") : 0;
            }
            return writeAtomically(new Generator(bundle.model(), tok), requests, params);
        }
    }

    /** Ctrl-C between batches: say what was kept; 130 is the shell's code for SIGINT. */
    private int stopped(String kept) {
        LOG.warn("stopped by Ctrl-C; {}", kept);
        return 130;
    }

    /** A prompt before tokenization. */
    private record PromptSource(List<Message> messages, String rawText, String where) {
    }

    private List<PromptSource> readPrompts() {
        List<PromptSource> list = new ArrayList<>();
        if (prompts.texts != null) {
            for (int i = 0; i < prompts.texts.size(); i++) {
                String t = prompts.texts.get(i);
                list.add(new PromptSource(List.of(Message.user(t)), t, "--prompt #" + (i + 1)));
            }
            return list;
        }
        LoadedDataset data = DatasetLoader.load(prompts.file, LoadOptions.defaults().withPromptsOnly(true));
        for (Example ex : data.examples()) {
            List<Message> msgs = ex.prompt();
            // --raw: the prompt's text alone, its turns joined as they are
            String rawText = String.join("\n", msgs.stream().map(Message::content).toList());
            list.add(new PromptSource(msgs, rawText, ex.source().toString()));
        }
        if (list.isEmpty()) {
            throw new UserInputException(prompts.file + ": no prompts");
        }
        return list;
    }

    private List<Request> encode(List<PromptSource> sources, Tokenizer tok, ChatTemplate template, int contextLength) {
        List<Request> out = new ArrayList<>();
        for (PromptSource s : sources) {
            int[] ids = template == null ? tok.encode(s.rawText()) : ChatPrompts.ids(tok, template, s.messages());
            if (ids.length == 0) {
                throw new UserInputException(s.where() + ": the prompt is empty");
            }
            if (ids.length >= contextLength) {
                throw new UserInputException(s.where() + ": prompt of " + ids.length
                        + " tokens leaves no room in the model's context length " + contextLength);
            }
            String shown = template == null ? s.rawText() : ChatPrompts.display(template, s.messages());
            out.add(new Request(shown, ids));
        }
        return out;
    }

    /**
     * {@code params} with max_new_tokens lowered to what the context leaves after the longest prompt
     * (one limit for all requests, so the output does not depend on how they are batched); said
     * once, as a warning.
     */
    static SamplingParams fitToContext(SamplingParams params, List<Request> requests, int contextLength) {
        int longest = requests.stream().mapToInt(r -> r.ids().length).max().orElse(0);
        int room = contextLength - longest;
        if (params.maxNewTokens() <= room) {
            return params;
        }
        LOG.warn("--max-new-tokens {} lowered to {}: the longest prompt has {} tokens and the model's context is {}",
                params.maxNewTokens(), room, longest, contextLength);
        return params.toBuilder().maxNewTokens(room).minNewTokens(Math.min(params.minNewTokens(), room)).build();
    }

    /** Writes to a temp file beside {@code --out}, renamed over it when every line is written. */
    private int writeAtomically(Generator generator, List<Request> requests, SamplingParams params)
            throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        long start = System.nanoTime();
        long tokens;
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            tokens = run(generator, requests, params, new PrintWriter(w), true);
        } catch (RuntimeException | IOException e) {
            AtomicFiles.deleteTree(tmp);
            throw e;
        }
        if (tokens < 0) {
            AtomicFiles.deleteTree(tmp);
            return stopped(out + " was not written");
        }
        AtomicFiles.commit(tmp, target); // the rename must not expose a file whose lines are not on disk yet
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "wrote %d completions (%d tokens, %.1f tokens/s) to %s%n", requests.size(), tokens,
                tokens / seconds, out);
        pw.flush();
        return 0;
    }

    /**
     * Generates batch by batch ({@link BatchedGeneration}: request i samples with {@code rowSeed(--seed, i)}),
     * writing each line as its batch finishes; returns the new tokens, or -1 when Ctrl-C stopped it
     * between two batches.
     */
    private long run(Generator generator, List<Request> requests, SamplingParams params, PrintWriter w,
            boolean progress) {
        if (Interrupts.requested()) {
            return -1;
        }
        // a signal from here on stops between two batches instead of ending the process
        try (Interrupts.Scope stop = Interrupts.stoppable()) {
            return generate(generator, requests, params, w, progress);
        }
    }

    private long generate(Generator generator, List<Request> requests, SamplingParams params, PrintWriter w,
            boolean progress) {
        long[] tokens = {0};
        List<Generation> done = BatchedGeneration.generate(generator, requests.stream().map(Request::ids).toList(),
                params, batchSize, (from, gens) -> {
                    for (int i = 0; i < gens.size(); i++) {
                        w.println(Json.line(line(requests.get(from + i), gens.get(i))));
                        tokens[0] += gens.get(i).length();
                    }
                    w.flush();
                    if (progress) {
                        LOG.info("{}/{} prompts done", from + gens.size(), requests.size());
                    }
                    return !Interrupts.requested();
                });
        return done.size() < requests.size() ? -1 : tokens[0];
    }

    /** One output line; fields in this order, {@code finish_reason} by the shared mapper's snake case. */
    record Line(String prompt, String completion, int tokens, String finishReason) {
    }

    private static Line line(Request r, Generation g) {
        return new Line(r.shown(), g.text(), g.length(), g.finishReason().name().toLowerCase(Locale.ROOT));
    }
}
