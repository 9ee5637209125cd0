package dev.align4j.core.tokenizer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.config.TextFiles;
import dev.align4j.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads whichever tokenizer a folder holds. */
public final class Tokenizers {

    private Tokenizers() {
    }

    /**
     * The tokenizer saved in {@code dir}: the align4j marker file says {@code byte} (a
     * {@link ByteTokenizer}) or {@code bpe} (a {@link BpeTokenizer} read from its
     * {@code tokenizer.json}); a {@code tokenizer.json} without the marker is any Hugging Face
     * tokenizer and runs through DJL ({@link HfTokenizer}).
     *
     * @throws UserInputException when the folder holds neither
     */
    public static Tokenizer load(Path dir) {
        Path marker = dir.resolve(ByteTokenizer.MARKER_FILE);
        if (Files.exists(marker)) {
            ObjectNode m;
            try {
                m = (ObjectNode) Json.mapper().readTree(Files.readString(marker));
            } catch (IOException | ClassCastException e) {
                throw TextFiles.readError(marker, e);
            }
            String type = m.path("type").asText();
            return switch (type) {
                case "byte" -> ByteTokenizer.load(dir, m);
                case "bpe" -> BpeTokenizer.load(dir);
                default -> throw UserInputException.at(marker, 0, "type", "unknown tokenizer type '" + type + "' (byte or bpe)");
            };
        }
        if (Files.exists(dir.resolve(TokenizerJson.FILE))) {
            return HfTokenizer.load(dir);
        }
        throw new UserInputException(dir + ": no tokenizer here (expected " + TokenizerJson.FILE + " or "
                + ByteTokenizer.MARKER_FILE + ")");
    }
}
