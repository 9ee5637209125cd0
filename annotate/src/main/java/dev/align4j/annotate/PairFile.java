package dev.align4j.annotate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.datasets.format.DataFormat;
import dev.align4j.datasets.format.DatasetLoader;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.JsonRecords;
import dev.align4j.datasets.format.LoadOptions;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads the pairs to label. Two layouts:
 * <ul>
 *   <li>{@code {id?, prompt, responses: [a, b]}}: prompt a string or a message list;
 *   <li>any preference file {@link DatasetLoader} reads (preference, hh_rlhf): chosen becomes A and
 *       rejected B, and the label ignores which was which.
 * </ul>
 * A pair's id is its {@code id} field (string or number) or else {@link PromptJson#contentId}. Two
 * records with the same explicit id are an error; a record whose content repeats an earlier one
 * without an id is skipped with a warning (it would be the same pair twice).
 */
public final class PairFile {

    private static final Logger LOG = LogManager.getLogger(PairFile.class);

    private PairFile() {
    }

    /** Every pair of {@code file}; the first bad record is an error. */
    public static List<Pair> read(Path file) {
        return read(file, false);
    }

    /**
     * Every pair of {@code file}; with {@code skipInvalid} bad records (an empty response, identical
     * responses, a broken line) are skipped and counted in a warning instead of stopping the read.
     */
    public static List<Pair> read(Path file, boolean skipInvalid) {
        List<JsonRecords.Raw> raws = new ArrayList<>();
        JsonRecords.read(file, raws::add);
        JsonRecords.Raw first = raws.stream().filter(r -> r.node() != null).findFirst()
                .orElseThrow(() -> new UserInputException(file + ": no records"));
        List<Pair> pairs = first.node().has("responses") ? readResponses(file, raws, skipInvalid)
                : readPreferences(file, raws, skipInvalid);
        if (pairs.isEmpty()) {
            throw new UserInputException(file + ": no valid pairs");
        }
        return unique(file, pairs);
    }

    private static List<Pair> readResponses(Path file, List<JsonRecords.Raw> raws, boolean skipInvalid) {
        List<Pair> out = new ArrayList<>();
        int skipped = 0;
        for (JsonRecords.Raw r : raws) {
            try {
                out.add(responses(file, r));
            } catch (UserInputException e) {
                if (!skipInvalid) {
                    throw e;
                }
                skipped++;
            }
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} invalid records of {}", file, skipped, raws.size());
        }
        return out;
    }

    private static Pair responses(Path file, JsonRecords.Raw r) {
        if (r.error() != null) {
            throw UserInputException.at(file, r.source().line(), null, r.error());
        }
        JsonNode n = r.node();
        long line = r.source().line();
        List<Message> prompt = PromptJson.fromNode(n.get("prompt"));
        if (prompt == null) {
            throw UserInputException.at(file, line, "prompt", n.has("prompt")
                    ? "expected a string or a list of {role, content}" : "missing field");
        }
        JsonNode rs = n.get("responses");
        if (rs == null || !rs.isArray() || rs.size() != 2 || !rs.get(0).isTextual() || !rs.get(1).isTextual()) {
            throw UserInputException.at(file, line, "responses", "expected a list of two strings");
        }
        String a = rs.get(0).asText();
        String b = rs.get(1).asText();
        if (a.isBlank() || b.isBlank()) {
            throw UserInputException.at(file, line, "responses", "empty response");
        }
        if (a.equals(b)) {
            throw UserInputException.at(file, line, "responses", "the two responses are identical");
        }
        return new Pair(id(n, file, line, prompt, a, b), prompt, a, b, r.source());
    }

    private static List<Pair> readPreferences(Path file, List<JsonRecords.Raw> raws, boolean skipInvalid) {
        Map<Long, JsonNode> byLine = new HashMap<>();
        raws.stream().filter(r -> r.node() != null).forEach(r -> byLine.put(r.source().line(), r.node()));
        List<Pair> out = new ArrayList<>();
        DatasetLoader.Stats stats = DatasetLoader.stream(file, LoadOptions.defaults().withSkipInvalid(skipInvalid), ex -> {
            if (!(ex instanceof PreferenceExample p)) {
                throw UserInputException.at(file, ex.source().line(), null,
                        "not a preference record: give {prompt, chosen, rejected} or {prompt, responses: [a, b]}");
            }
            Source src = p.source();
            out.add(new Pair(id(byLine.get(src.line()), file, src.line(), p.prompt(), p.chosen(), p.rejected()),
                    p.prompt(), p.chosen(), p.rejected(), src));
        });
        if (stats.format().kind() != DataFormat.Kind.PREFERENCE) {
            throw new UserInputException(file + ": format " + stats.format() + " is not a preference format");
        }
        return out;
    }

    private static String id(JsonNode n, Path file, long line, List<Message> prompt, String a, String b) {
        JsonNode id = n == null ? null : n.get("id");
        if (id == null || id.isNull()) {
            return PromptJson.contentId(prompt, a, b);
        }
        if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw UserInputException.at(file, line, "id", "expected a non-empty string or an integer");
        }
        return id.asText();
    }

    private static List<Pair> unique(Path file, List<Pair> pairs) {
        Map<String, Pair> seen = new LinkedHashMap<>();
        int repeats = 0;
        for (Pair p : pairs) {
            Pair before = seen.putIfAbsent(p.id(), p);
            if (before == null) {
                continue;
            }
            if (!before.equals(new Pair(p.id(), p.prompt(), p.a(), p.b(), before.source()))) {
                throw UserInputException.at(file, p.source().line(), "id", "'" + p.id() + "' is also the id of line "
                        + before.source().line() + ", a different pair");
            }
            repeats++;
        }
        if (repeats > 0) {
            LOG.warn("{}: {} records repeat an earlier pair and are skipped", file, repeats);
        }
        return List.copyOf(seen.values());
    }
}
