package dev.align4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.align4j.datasets.template.Templates;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bad-input corpus: every case under {@code bad-inputs/GROUP/NAME/case.yaml} runs through
 * {@link Main} in-process and must exit 2 with a message that names the file (and line, and key)
 * the case says, holds no Java class names, and leaves nothing behind: the case folder and the
 * output folder hold exactly what they held before the run. Cases are data; see cli/README.md.
 */
class BadInputCorpusTest {

    /** Package names and exception class names: the message is for people, not for Java. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|com\\.fasterxml|org\\.yaml|org\\.snakeyaml|ai\\.djl|dev\\.align4j|picocli)"
                    + "\\.[A-Za-z]|\\b[A-Z][A-Za-z]*(?:Exception|Error)\\b|reference chain|\\[Source:");

    /** At least this many cases: the corpus only grows. */
    private static final int MIN_CASES = 70;

    @TempDir
    static Path fixtures;

    private static Path model;
    private static Path adapter;
    private static Path shared;

    @BeforeAll
    static void tinyModel() throws Exception {
        model = TinyModelDirs.save(fixtures.resolve("model"), TinyModelDirs.gpt2(), Templates.resolve("plain"), 1,
                Map.of());
        adapter = TinyModelDirs.adapter(model, fixtures.resolve("adapter"), 2);
        shared = fixtures.resolve("shared");
        BadInputCase.copy(corpus().resolve("_shared"), shared, places(fixtures, fixtures));
        assertThat(Device.cpu()).isNotNull();
    }

    static Path corpus() {
        try {
            return Path.of(BadInputCorpusTest.class.getResource("/bad-inputs").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BadInputCase.Places places(Path caseDir, Path out) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("case", caseDir.toString());
        m.put("out", out.toString());
        m.put("shared", shared == null ? "" : shared.toString());
        m.put("model", model == null ? "" : model.toString());
        m.put("adapter", adapter == null ? "" : adapter.toString());
        return new BadInputCase.Places(m);
    }

    static List<Path> caseDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(corpus())) {
            s.filter(p -> p.getFileName().toString().equals(BadInputCase.CASE_FILE)).map(Path::getParent)
                    .sorted().forEach(dirs::add);
        }
        return dirs;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputExitsTwoNamingWhereAndLeavingNothing() throws IOException {
        List<Path> dirs = caseDirs();
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(MIN_CASES);
        return dirs.stream().map(d -> DynamicTest.dynamicTest(corpus().relativize(d).toString(), () -> check(d)));
    }

    private void check(Path source) throws IOException {
        BadInputCase c = BadInputCase.read(source);
        Path root = Files.createTempDirectory(fixtures, "case");
        Path caseDir = root.resolve("case");
        Path out = Files.createDirectories(root.resolve("out"));
        BadInputCase.Places p = places(caseDir, out);
        BadInputCase.copy(source, caseDir, p);
        c.prepare(p);
        Map<String, Long> caseBefore = BadInputCase.snapshot(caseDir);
        Map<String, Long> outBefore = BadInputCase.snapshot(out);

        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(c.args().stream().map(p::apply).toArray(String[]::new));
        String msg = err.toString();

        String why = "case " + corpus().relativize(source) + ": " + c.description() + "\n--- stderr:\n" + msg;
        assertThat(code).as("exit code; " + why).isEqualTo(Main.BAD_INPUT);
        String file = p.apply(c.file());
        assertThat(msg).as("names the file; " + why).contains(file);
        if (c.line() != null) {
            assertThat(msg).as("names the line; " + why).contains(file + ":" + c.line() + ":");
        }
        if (c.key() != null) {
            assertThat(msg).as("names the key; " + why).contains(c.key());
        }
        for (String s : c.expect()) {
            assertThat(msg).as("says " + s + "; " + why).contains(p.apply(s));
        }
        Matcher m = JAVA_NAMES.matcher(msg);
        assertThat(m.find()).as("no Java names (found '" + (m.find(0) ? m.group() : "") + "'); " + why).isFalse();
        assertThat(BadInputCase.snapshot(out)).as("output folder unchanged; " + why).isEqualTo(outBefore);
        assertThat(BadInputCase.snapshot(caseDir)).as("case folder unchanged; " + why).isEqualTo(caseBefore);
    }
}
