package dev.align4j.cli;

import dev.align4j.core.Offline;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.Interrupts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code align4j}, the top command. Exit codes: 0 done, 2 bad input (a {@link UserInputException}
 * or a bad flag; the message alone on stderr), 1 anything else (the message on stderr, the stack
 * trace in run.log).
 */
@Command(name = "align4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Pretrain, fine-tune and align language models (SFT, reward models, PPO, DPO) "
                + "on DJL's PyTorch engine, offline.",
        footer = {"", "Run 'align4j COMMAND --help' for the options of a command."})
public final class Main implements Callable<Integer> {

    /**
     * Every subcommand. Add yours here and under its stage in {@link CommandGroups}, which orders
     * {@code align4j --help}.
     */
    static final List<Class<?>> COMMANDS = List.of(
            InfoCommand.class,
            DataCommand.class,
            TokenizerCommand.class,
            PretrainCommand.class,
            SftCommand.class,
            RewardCommand.class,
            GenerateCommand.class,
            ChatCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            DpoCommand.class,
            PpoCommand.class,
            OnlineRlCommand.Grpo.class,
            OnlineRlCommand.Rloo.class,
            OnlineRlCommand.ReinforcePp.class,
            PipelineCommand.class,
            ReportCommand.class,
            EvalCommand.class,
            AnnotateCommand.class,
            CompletionCommand.class);

    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    /**
     * Where Ctrl-C cannot be handled as a signal (see Interrupts): how long the shutdown hook waits
     * for a run to save its checkpoint before the JVM exits anyway.
     */
    private static final Duration STOP_GRACE = Duration.ofSeconds(
            Long.getLong("align4j.stop.grace.seconds", 120));

    private static final Logger LOG = LogManager.getLogger(Main.class);

    static {
        // before any command (and so DJL's Engine) loads: nothing is fetched at run time
        Offline.force();
    }

    @Spec
    CommandSpec spec;

    private boolean quiet;
    private Level logLevel;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "terminal shows warnings and errors only (run.log keeps everything)")
    void quiet(boolean value) {
        quiet = value;
    }

    @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
            description = "terminal log level: ERROR, WARN, INFO (default), DEBUG or TRACE; wins over --quiet")
    void logLevel(String name) {
        Level l = TerminalLog.parse(name);
        if (l == null) {
            throw new ParameterException(spec.commandLine(), "--log-level: expected ERROR, WARN, INFO, DEBUG or TRACE,"
                    + " got '" + name + "'");
        }
        logLevel = l;
    }

    /** The terminal level the options ask for. */
    Level terminalLevel() {
        return logLevel != null ? logLevel : quiet ? Level.WARN : Level.INFO;
    }

    @Override
    public Integer call() {
        // no command given: show what there is
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    public static void main(String[] args) {
        if (Offline.problem() != null) {
            System.err.println("error: " + Offline.problem());
            System.exit(BAD_INPUT);
        }
        Interrupts.install(STOP_GRACE);
        Interrupts.commandLine(System.getProperty("align4j.program", "align4j"), List.of(args));
        int code;
        try {
            code = newCommandLine().execute(args);
        } finally {
            Interrupts.workFinished();
        }
        LogManager.shutdown();
        System.exit(code);
    }

    /** The top command with every subcommand in {@link #COMMANDS}, configured. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> command : COMMANDS) {
            cl.addSubcommand(command);
        }
        return configure(cl);
    }

    /**
     * Exit codes, messages and enum parsing for {@code cl} and the subcommands it has now; call it
     * after the last {@code addSubcommand}.
     */
    static CommandLine configure(CommandLine cl) {
        standardOptions(cl);
        CommandGroups.install(cl);
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        return cl.setCaseInsensitiveEnumValuesAllowed(true)
                // a command's run.log stays attached until its error (if any) is logged there
                .setExecutionStrategy(parsed -> {
                    if (cl.getCommand() instanceof Main main) {
                        TerminalLog.set(main.terminalLevel()); // before any work logs
                    }
                    int code = run.execute(parsed);
                    RunLogging.detachAll();
                    return code;
                })
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    try {
                        return onError(ex, cmd, parsed);
                    } finally {
                        RunLogging.detachAll();
                    }
                })
                .setParameterExceptionHandler(Main::onBadParameter);
    }

    /**
     * {@code --help} and {@code --version} on every subcommand, however deep. (Picocli's inherited
     * scope would do this too, but it also hands the top command's description and footer to every
     * subcommand that has none.) Adding them where a command already has them does nothing.
     */
    private static void standardOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            spec.mixinStandardHelpOptions(true);
            if (spec.versionProvider() == null) {
                spec.versionProvider(new VersionProvider());
            }
            standardOptions(sub);
        }
    }

    private static int onBadParameter(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ex.getMessage());
        if (!UnmatchedArgumentException.printSuggestions(ex, err)) {
            err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
        }
        err.flush();
        return BAD_INPUT;
    }

    private static int onError(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Optional<UserInputException> user = userInput(ex);
        if (user.isPresent()) {
            LOG.debug(RunLogging.FILE_ONLY, "bad input", ex);
            err.println("error: " + user.get().getMessage());
            err.flush();
            return BAD_INPUT;
        }
        String name = cmd.getCommandSpec().qualifiedName();
        LOG.error(RunLogging.FILE_ONLY, "{} failed", name, ex);
        err.println("error: " + name + " failed: " + describe(ex));
        err.println("The stack trace is in " + traceFile(ex));
        err.flush();
        return FAILED;
    }

    /** A UserInputException anywhere in the cause chain (DJL and executors wrap exceptions). */
    private static Optional<UserInputException> userInput(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UserInputException u) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    private static String describe(Throwable ex) {
        String msg = ex.getMessage();
        return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** The run's run.log if one is attached (it got the trace above), else a new file in tmp. */
    private static Path traceFile(Throwable ex) {
        Optional<Path> runLog = RunLogging.current();
        if (runLog.isPresent()) {
            return runLog.get();
        }
        StringWriter trace = new StringWriter();
        ex.printStackTrace(new PrintWriter(trace));
        try {
            Path file = Files.createTempFile("align4j-error-", ".log");
            Files.writeString(file, "align4j " + VersionProvider.version() + "\n" + trace);
            return file;
        } catch (IOException io) {
            return Path.of("(could not write a trace file: " + io.getMessage() + ")");
        }
    }
}
