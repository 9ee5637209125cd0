package dev.align4j.pipelines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The test pipelines under src/test/resources/pipelines, copied into a folder with their model shape. */
final class TestPipelines {

    private TestPipelines() {
    }

    /** Copies {@code name} into {@code dir} with MODEL_YAML replaced by the tiny model's file there. */
    static Path copy(String name, Path dir) throws IOException {
        Path model = dir.resolve("tiny-model.yaml");
        Files.writeString(model, resource("tiny-model.yaml"));
        Path file = dir.resolve(name);
        Files.writeString(file, resource(name).replace("MODEL_YAML", model.toString()));
        return file;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = TestPipelines.class.getResourceAsStream("/pipelines/" + name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
