package dev.align4j.cli;

import dev.align4j.core.UserInputException;
import dev.align4j.core.tokenizer.BpeTokenizer;
import dev.align4j.core.tokenizer.BpeTrainer;
import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.core.tokenizer.Tokenizers;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code align4j tokenizer}: train a byte-level BPE tokenizer, or try one on a text. */
@Command(name = "tokenizer", description = "Train and try tokenizers.", mixinStandardHelpOptions = true,
        subcommands = {TokenizerCommand.Train.class, TokenizerCommand.Encode.class})
public final class TokenizerCommand {

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE on UTF-8 text files; writes tokenizer.json (Hugging Face format).")
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--vocab-size", required = true, description = "vocabulary size, the 5 special tokens included")
        int vocabSize;

        @Option(names = "--input", required = true, arity = "1..*", paramLabel = "FILE", description = "text files")
        List<Path> inputs;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder")
        Path out;

        @Option(names = "--min-frequency", defaultValue = "2", description = "rarest pair merged (default: ${DEFAULT-VALUE})")
        int minFrequency;

        @Override
        public Integer call() {
            BpeTrainer trainer = new BpeTrainer(vocabSize, minFrequency); // validates the sizes
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserInputException("--out: " + out + " exists and is not a folder");
            }
            // trainOnFiles refuses missing, empty and non-UTF-8 inputs and text with no merges, naming
            // the file; nothing is written before it returns
            long t0 = System.nanoTime();
            BpeTokenizer tok = trainer.trainOnFiles(inputs);
            double secs = (System.nanoTime() - t0) / 1e9;
            tok.save(out);
            PrintWriter pw = spec.commandLine().getOut();
            pw.printf(Locale.ROOT, "trained vocab %d (%d merges) in %.1f s; wrote %s%n", tok.vocabSize(), tok.mergeCount(),
                    secs, out.resolve("tokenizer.json"));
            if (tok.vocabSize() < vocabSize) {
                pw.printf(Locale.ROOT, "note: the text ran out of pairs seen %d+ times before reaching %d%n", minFrequency, vocabSize);
            }
            pw.flush();
            return 0;
        }
    }

    @Command(name = "encode", mixinStandardHelpOptions = true, description = "Print the ids of a text.")
    static final class Encode implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--tokenizer", required = true, paramLabel = "DIR", description = "tokenizer folder")
        Path dir;

        @Parameters(index = "0", paramLabel = "TEXT")
        String text;

        @Override
        public Integer call() {
            Tokenizer tok = Tokenizers.load(dir);
            int[] ids = tok.encode(text);
            PrintWriter pw = spec.commandLine().getOut();
            pw.println(Arrays.toString(ids));
            pw.printf(Locale.ROOT, "%d tokens, %d characters; decodes back: %s%n", ids.length, text.length(),
                    tok.decode(ids).equals(text));
            pw.flush();
            return 0;
        }
    }
}
