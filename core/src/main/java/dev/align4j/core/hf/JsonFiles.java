package dev.align4j.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.align4j.core.UserInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Pretty JSON written through a temp file and an atomic rename. */
final class JsonFiles {

    private JsonFiles() {}

    static void write(Path file, Object value) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            String text = SafeTensors.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(value instanceof JsonNode n ? n : value);
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserInputException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
