package dev.align4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code align4j completion bash}: the shell completion script Picocli generates from the command
 * tree (subcommands, options, enum values). {@code source <(align4j completion bash)} in a shell,
 * or save it under {@code ~/.local/share/bash-completion/completions/align4j}; zsh loads it after
 * {@code autoload -U bashcompinit && bashcompinit}.
 */
@Command(name = "completion", description = "Print the shell completion script (bash; zsh with bashcompinit).",
        footer = {"", "Try it: source <(align4j completion bash)"})
final class CompletionCommand implements Callable<Integer> {

    /** Shells with a script. */
    enum Shell { BASH }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash (zsh uses the bash script)")
    Shell shell;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
        return 0;
    }
}
