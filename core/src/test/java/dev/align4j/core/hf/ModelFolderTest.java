package dev.align4j.core.hf;

import dev.align4j.core.model.TestModels;

import dev.align4j.core.io.Safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.core.UserInputException;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.core.tokenizer.Tokenizer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class ModelFolderTest {

    private static final int[] TOKENS = {3, 1, 4, 1, 5, 9, 2, 6};

    @TempDir
    Path dir;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A stand-in tokenizer: {@code vocab} ids, save writes one marker file. */
    private static Tokenizer fakeTokenizer(int vocab) {
        return new Tokenizer() {
            public int[] encode(String text) {
                return new int[0];
            }

            public String decode(int[] ids) {
                return "";
            }

            public int vocabSize() {
                return vocab;
            }

            public int bosId() {
                return 0;
            }

            public int eosId() {
                return 1;
            }

            public int padId() {
                return 2;
            }

            public List<Integer> specialIds() {
                return List.of(0, 1, 2);
            }

            public void save(Path d) {
                try {
                    Files.createDirectories(d);
                    Files.writeString(d.resolve("fake.txt"), "v=" + vocab);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Test
    void ownLayoutRoundTripsWithIdenticalLogitsAndSnakeCaseConfig() throws Exception {
        for (ModelConfig cfg : new ModelConfig[] {TestModels.gpt2(), TestModels.llamaGqa()}) {
            CausalLM model = TestModels.random(cfg, manager, 1);
            Path out = dir.resolve(cfg.architecture().name());
            ModelFolder.save(model, out, DataType.FLOAT32, fakeTokenizer(20), Map.of("seed", "1"));
            assertThat(ModelFolder.detect(out)).isEqualTo(ModelFolder.Layout.ALIGN4J);
            assertThat(out.resolve("tokenizer/fake.txt")).hasContent("v=20");
            assertThat(ModelFolder.tokenizerDir(out)).isEqualTo(out.resolve("tokenizer"));
            JsonNode json = Safetensors.JSON.readTree(out.resolve("align4j_model.json").toFile());
            assertThat(json.get("d_model").asInt()).isEqualTo(16);
            assertThat(json.get("n_kv_heads").asInt()).isEqualTo(cfg.nKvHeads());
            assertThat(Safetensors.readHeader(out.resolve("model.safetensors")).tensors())
                    .containsKey("blocks.0.attn.q_proj.weight");
            CausalLM loaded = ModelFolder.load(out, manager);
            assertThat(loaded.config()).isEqualTo(cfg);
            assertThat(ModelFolder.readConfig(out)).isEqualTo(cfg);
            assertThat(HfModelIOTest.logits(loaded, manager, TOKENS))
                    .containsExactly(HfModelIOTest.logits(model, manager, TOKENS));
        }
    }

    @Test
    void loadAcceptsHuggingFaceLayoutToo() {
        CausalLM model = TestModels.random(TestModels.gpt2(), manager, 2);
        Path out = dir.resolve("hf");
        HfModelIO.save(model, out, DataType.FLOAT32, null);
        assertThat(ModelFolder.detect(out)).isEqualTo(ModelFolder.Layout.HUGGING_FACE);
        assertThat(ModelFolder.tokenizerDir(out)).isEqualTo(out);
        assertThat(HfModelIOTest.logits(ModelFolder.load(out, manager), manager, TOKENS))
                .containsExactly(HfModelIOTest.logits(model, manager, TOKENS));
    }

    @Test
    void notAModelFolderSaysWhatItExpected() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelFolder.load(empty, manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("align4j_model.json").hasMessageContaining("config.json");
        assertThatThrownBy(() -> ModelFolder.load(dir.resolve("nope"), manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("nope");
    }

    @Test
    void badOwnConfigAndShapeMismatchAreNamed() throws Exception {
        CausalLM model = TestModels.random(TestModels.gpt2(), manager, 3);
        Path out = dir.resolve("own");
        ModelFolder.save(model, out, DataType.FLOAT16, null, null);
        Path cfgFile = out.resolve("align4j_model.json");
        ObjectNode json = (ObjectNode) Safetensors.JSON.readTree(cfgFile.toFile());

        ObjectNode typo = json.deepCopy();
        typo.put("d_modle", 16);
        Files.writeString(cfgFile, typo.toString());
        assertThatThrownBy(() -> ModelFolder.load(out, manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("d_modle");

        ObjectNode wider = json.deepCopy();
        wider.put("ffn_hidden", 32);
        Files.writeString(cfgFile, wider.toString());
        assertThatThrownBy(() -> ModelFolder.load(out, manager))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("blocks.0.mlp.up_proj.weight")
                .hasMessageContaining("(64, 16)").hasMessageContaining("(32, 16)");

        ObjectNode bad = json.deepCopy();
        bad.put("n_heads", 3);
        Files.writeString(cfgFile, bad.toString());
        assertThatThrownBy(() -> ModelFolder.load(out, manager))
                .isInstanceOf(UserInputException.class).hasMessageContaining("n_heads 3");
    }

    @Test
    void tokenizerLargerThanEmbeddingIsRefused() {
        CausalLM model = TestModels.random(TestModels.gpt2(), manager, 4);
        Path out = dir.resolve("vocab");
        assertThatThrownBy(() -> ModelFolder.save(model, out, DataType.FLOAT32, fakeTokenizer(30),
                null))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("30").hasMessageContaining("vocab_size=23");
        assertThat(out).doesNotExist();
    }
}
