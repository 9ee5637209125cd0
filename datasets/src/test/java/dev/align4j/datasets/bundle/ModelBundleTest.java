package dev.align4j.datasets.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.align4j.core.UserInputException;
import dev.align4j.core.hf.ModelFolder;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.template.Templates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

class ModelBundleTest {

    @Test
    void saveThenLoadGivesSameLogitsTokenizerAndTemplate(@TempDir Path tmp) {
        ByteTokenizer tok = new ByteTokenizer();
        ModelConfig cfg = ModelBundle.resolveConfig("tiny-llama", tok);
        assertThat(cfg.vocabSize()).isEqualTo(tok.vocabSize());
        Path dir = tmp.resolve("model");
        float[] before;
        try (ModelBundle b = ModelBundle.create(cfg, tok, Templates.CHATML, Device.cpu(), 3)) {
            NDArray ids = b.manager().create(new int[] {1, 2, 3}, new Shape(1, 3));
            before = b.model().forward(ids, null, false).logits().toFloatArray();
            b.save(dir, Map.of("seed", 3));
        }
        assertThat(dir.resolve(ModelBundle.PROVENANCE)).exists();
        try (ModelBundle b = ModelBundle.load(dir, Device.cpu(), null)) {
            NDArray ids = b.manager().create(new int[] {1, 2, 3}, new Shape(1, 3));
            assertThat(b.model().forward(ids, null, false).logits().toFloatArray()).containsExactly(before);
            assertThat(b.template()).isEqualTo(Templates.CHATML);
            assertThat(b.tokenizer().encode("hi")).containsExactly(tok.encode("hi"));
            assertThat(b.source()).isEqualTo(dir);
        }
        // saving again over the same folder replaces it whole, leaving no temp folders
        try (ModelBundle b = ModelBundle.load(dir, Device.cpu(), "plain")) {
            assertThat(b.template()).isEqualTo(Templates.PLAIN);
            b.save(dir, null);
        }
        assertThat(tmp.toFile().list()).containsExactly("model");
        assertThat(Files.exists(dir.resolve(ModelBundle.PROVENANCE))).isFalse();
    }

    @Test
    void olderFoldersWithChatTemplateJsonStillLoadTheirTemplate(@TempDir Path tmp) throws Exception {
        ByteTokenizer tok = new ByteTokenizer();
        Path dir = tmp.resolve("model");
        try (ModelBundle b = ModelBundle.create(ModelBundle.resolveConfig("tiny", tok), tok, Templates.ALPACA, Device.cpu(), 1)) {
            b.save(dir, null);
        }
        // the tokenizer folder carries the template as Jinja for transformers
        String jinja = Files.readString(dir.resolve("tokenizer/chat_template.jinja"));
        assertThat(jinja).isEqualTo(Templates.ALPACA.toJinja()).contains("### Response:");
        assertThat(Files.readString(dir.resolve("tokenizer/tokenizer_config.json"))).contains("\"chat_template\"");
        // an older folder: our schema under the old name
        Files.move(dir.resolve(ModelFolder.CHAT_TEMPLATE), dir.resolve(ModelFolder.LEGACY_CHAT_TEMPLATE));
        try (ModelBundle b = ModelBundle.load(dir, Device.cpu(), null)) {
            assertThat(b.template()).isEqualTo(Templates.ALPACA);
        }
        // transformers' processor file of that name is not ours: plain
        Files.writeString(dir.resolve(ModelFolder.LEGACY_CHAT_TEMPLATE), "{\"chat_template\": \"{{ messages }}\"}");
        try (ModelBundle b = ModelBundle.load(dir, Device.cpu(), null)) {
            assertThat(b.template()).isEqualTo(Templates.PLAIN);
        }
    }

    @Test
    void unknownPresetAndMissingFileAreUserErrors() {
        ByteTokenizer tok = new ByteTokenizer();
        assertThatThrownBy(() -> ModelBundle.resolveConfig("huge", tok))
                .isInstanceOf(UserInputException.class).hasMessageContaining("huge");
        assertThatThrownBy(() -> ModelBundle.resolveConfig("nope.yaml", tok))
                .isInstanceOf(UserInputException.class).hasMessageContaining("nope.yaml");
        assertThatThrownBy(() -> ModelBundle.load(Path.of("no-such-dir"), Device.cpu(), null))
                .isInstanceOf(UserInputException.class).hasMessageContaining("no-such-dir");
    }
}
