package dev.align4j.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One case of the bad-input corpus ({@code cli/src/test/resources/bad-inputs/GROUP/NAME/case.yaml}),
 * see cli/README.md, "The bad-input corpus". Strings may hold the placeholders {@code ${case}} (this
 * case's folder, copied to a temp folder), {@code ${out}} (an empty temp folder for outputs),
 * {@code ${shared}} (bad-inputs/_shared), {@code ${model}} (a tiny GPT-2 model folder) and
 * {@code ${adapter}} (a LoRA adapter for it). Files in the case folder get the same substitution,
 * byte by byte, so files that are not UTF-8 keep their bytes.
 *
 * @param description what is wrong with the input, in one line
 * @param args the command line, after {@code align4j}
 * @param prepare file operations run before the command (copy, truncate, delete, mkdir, write)
 * @param file the file the message must name
 * @param line the line the message must name right after the file ({@code FILE:LINE}); null when the
 *     input has no lines, which {@code noLine} then explains
 * @param noLine why no line is expected
 * @param key the key, field or flag the message must name
 * @param noKey why no key is expected
 * @param expect more substrings the message must contain
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record BadInputCase(
        @JsonProperty("description") String description,
        @JsonProperty("args") List<String> args,
        @JsonProperty("prepare") List<Map<String, String>> prepare,
        @JsonProperty("file") String file,
        @JsonProperty("line") Integer line,
        @JsonProperty("no_line") String noLine,
        @JsonProperty("key") String key,
        @JsonProperty("no_key") String noKey,
        @JsonProperty("expect") List<String> expect) {

    static final String CASE_FILE = "case.yaml";

    BadInputCase {
        if (description == null || args == null || args.isEmpty() || file == null) {
            throw new IllegalArgumentException("a case needs description, args and file");
        }
        if ((line == null) == (noLine == null)) {
            throw new IllegalArgumentException("a case gives either line or no_line (why there is none)");
        }
        if ((key == null) == (noKey == null)) {
            throw new IllegalArgumentException("a case gives either key or no_key (why there is none)");
        }
        prepare = prepare == null ? List.of() : prepare;
        expect = expect == null ? List.of() : expect;
    }

    static BadInputCase read(Path caseDir) {
        try {
            return Json.yaml().readValue(caseDir.resolve(CASE_FILE).toFile(), BadInputCase.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + caseDir.resolve(CASE_FILE), e);
        }
    }

    /** The placeholders and what they stand for in one run. */
    record Places(Map<String, String> values) {
        String apply(String s) {
            String r = s;
            for (Map.Entry<String, String> e : values.entrySet()) {
                r = r.replace("${" + e.getKey() + "}", e.getValue());
            }
            return r;
        }

        byte[] apply(byte[] bytes) {
            byte[] r = bytes;
            for (Map.Entry<String, String> e : values.entrySet()) {
                r = replace(r, ("${" + e.getKey() + "}").getBytes(StandardCharsets.US_ASCII),
                        e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            return r;
        }

        private static byte[] replace(byte[] in, byte[] from, byte[] to) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
            int i = 0;
            while (i < in.length) {
                if (i + from.length <= in.length
                        && Arrays.equals(in, i, i + from.length, from, 0, from.length)) {
                    out.write(to, 0, to.length);
                    i += from.length;
                } else {
                    out.write(in[i++]);
                }
            }
            return out.toByteArray();
        }
    }

    /** Copies {@code from} (file or folder) to {@code to}, substituting placeholders in every file. */
    static void copy(Path from, Path to, Places places) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    byte[] bytes = Files.readAllBytes(p);
                    Files.write(target, places == null ? bytes : places.apply(bytes));
                }
            }
        }
    }

    /** Runs the {@code prepare} operations. */
    void prepare(Places places) throws IOException {
        for (Map<String, String> op : prepare) {
            if (op.containsKey("copy")) {
                copy(Path.of(places.apply(op.get("copy"))), Path.of(places.apply(op.get("to"))), null);
            } else if (op.containsKey("truncate")) {
                Path f = Path.of(places.apply(op.get("truncate")));
                byte[] b = Files.readAllBytes(f);
                int keep = Integer.parseInt(op.getOrDefault("keep", String.valueOf(b.length / 2)));
                Files.write(f, Arrays.copyOf(b, keep));
            } else if (op.containsKey("delete")) {
                Files.delete(Path.of(places.apply(op.get("delete"))));
            } else if (op.containsKey("mkdir")) {
                Files.createDirectories(Path.of(places.apply(op.get("mkdir"))));
            } else if (op.containsKey("write")) {
                Path f = Path.of(places.apply(op.get("write")));
                Files.createDirectories(f.getParent());
                Files.writeString(f, places.apply(op.getOrDefault("text", "")));
            } else {
                throw new IllegalArgumentException("unknown prepare operation " + op.keySet());
            }
        }
    }

    /** Every file and folder under {@code root} with its size (-1 for a folder), by relative path. */
    static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root).sorted(Comparator.naturalOrder())) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? -1L : Files.size(p));
            }
        }
        return out;
    }
}
