package dev.align4j.cli;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code align4j info}: versions, the engine DJL loads, its devices and thread settings. */
@Command(name = "info", description = "Show versions, the deep learning engine, devices and settings.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--no-engine", description = "Skip loading the PyTorch engine (quick).")
    boolean noEngine;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (String line : new VersionProvider().getVersion()) {
            out.println(line);
        }
        out.println("DJL cache: " + envOr("DJL_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
        out.println("offline: " + Boolean.getBoolean("ai.djl.offline"));
        out.println("threads: " + System.getProperty("ai.djl.pytorch.num_threads", "(PyTorch default)")
                + " intra-op, " + System.getProperty("ai.djl.pytorch.num_interop_threads", "(default)")
                + " inter-op; " + Runtime.getRuntime().availableProcessors() + " CPUs");
        out.println("max heap: " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        if (!noEngine) {
            Engine engine = Engine.getInstance();
            out.println("engine: " + engine.getEngineName() + " " + engine.getVersion());
            out.println("devices: " + Arrays.toString(engine.getDevices()) + " (default "
                    + engine.defaultDevice() + ", GPUs " + engine.getGpuCount() + ")");
        }
        out.flush();
        return 0;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
