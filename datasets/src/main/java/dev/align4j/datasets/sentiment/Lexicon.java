package dev.align4j.datasets.sentiment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The sentiment task's word lists ({@code ../shared/tasks/sentiment/TASK.md}): positive and negative
 * adjectives and the nouns reviews talk about. A copy of the task's {@code lexicon.json} ships in
 * this jar, so the task works without the shared folder.
 */
public record Lexicon(List<String> positive, List<String> negative, List<String> nouns) {

    /** Where the task's lexicon lives relative to the project root. */
    public static final Path SHARED = Path.of("..", "shared", "tasks", "sentiment", "lexicon.json");
    private static final String RESOURCE = "/dev/align4j/datasets/sentiment/lexicon.json";

    public Lexicon {
        positive = List.copyOf(positive);
        negative = List.copyOf(negative);
        nouns = List.copyOf(nouns);
        Set<String> both = new LinkedHashSet<>(positive);
        both.retainAll(negative);
        if (!both.isEmpty()) {
            throw new UserInputException("lexicon: words both positive and negative: " + both);
        }
    }

    /** Reads a lexicon file {@code {positive: [...], negative: [...], nouns: [...]}}. */
    public static Lexicon load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot read lexicon: " + e.getMessage(), e);
        }
    }

    /** The copy bundled in this jar. */
    public static Lexicon bundled() {
        try (InputStream in = Lexicon.class.getResourceAsStream(RESOURCE)) {
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("bundled lexicon unreadable", e);
        }
    }

    /** {@code file} when given, else the shared task file when present, else the bundled copy. */
    public static Lexicon resolve(Path file) {
        if (file != null) {
            return load(file);
        }
        return Files.isRegularFile(SHARED) ? load(SHARED) : bundled();
    }

    private static Lexicon parse(InputStream in, String name) throws IOException {
        JsonNode root = Json.mapper().readTree(in);
        return new Lexicon(words(root, "positive", name), words(root, "negative", name), words(root, "nouns", name));
    }

    private static List<String> words(JsonNode root, String field, String name) {
        JsonNode a = root.get(field);
        if (a == null || !a.isArray() || a.isEmpty()) {
            throw UserInputException.at(name, 0, field, "expected a non-empty list of words");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode w : a) {
            String s = w.asText().toLowerCase(Locale.ROOT);
            if (!s.matches("\\p{L}+")) {
                throw UserInputException.at(name, 0, field, "'" + w.asText() + "' is not a single word of letters");
            }
            out.add(s);
        }
        return out;
    }
}
