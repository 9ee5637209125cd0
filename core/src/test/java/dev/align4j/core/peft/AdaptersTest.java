package dev.align4j.core.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import com.fasterxml.jackson.databind.JsonNode;

import dev.align4j.core.UserInputException;
import dev.align4j.core.io.Json;
import dev.align4j.core.model.CausalLM;
import dev.align4j.core.model.ModelConfig;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

class AdaptersTest {

    private NDManager manager;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalLogits() throws Exception {
        for (PeftMethod method : new PeftMethod[] {PeftMethod.LORA, PeftMethod.QLORA}) {
            ModelConfig cfg = TinyModels.llama();
            PeftConfig peft = PeftConfig.lora(method, 4, 8, List.of("q_proj", "v_proj", "up_proj"));
            CausalLM trained = TinyModels.random(cfg, manager, 1);
            String hash = Adapters.baseModelHash(trained);
            Peft.apply(trained, peft, manager);
            TinyModels.randomizeAdapters(trained, 2);
            float[] want = TinyModels.logits(trained, manager).toFloatArray();
            Path dir = tmp.resolve(method.configName()).resolve("adapter");
            Adapters.save(dir, trained, peft, hash);

            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder(Adapters.CONFIG_FILE, Adapters.WEIGHTS_FILE);
            }
            JsonNode json = Json.mapper().readTree(dir.resolve(Adapters.CONFIG_FILE).toFile());
            assertThat(json.get("base_model_hash").asText()).isEqualTo(hash).startsWith("sha256:");
            assertThat(json.get("peft").get("lora_r").asInt()).isEqualTo(4);
            assertThat(json.get("target_modules")).hasSize(6);
            List<String> names = new ArrayList<>();
            try (NDManager m = manager.newSubManager()) {
                for (NDArray a : NDList.decode(m, Files.readAllBytes(
                        dir.resolve(Adapters.WEIGHTS_FILE)))) {
                    names.add(a.getName());
                }
            }
            assertThat(names).hasSize(12).allMatch(n -> n.matches(".*\\.lora\\.lora_[AB]"))
                    .contains("blocks.1.mlp.up_proj.lora.lora_B");

            CausalLM fresh = TinyModels.random(cfg, manager, 1);
            Adapters.Loaded loaded = Adapters.load(dir, fresh, Adapters.baseModelHash(fresh));
            assertThat(loaded.manifest().peft()).isEqualTo(peft);
            assertThat(loaded.trainable()).hasSize(12);
            assertThat(TinyModels.logits(fresh, manager).toFloatArray()).containsExactly(want);
        }
    }

    @Test
    void adaptersForAnotherBaseAreRefused() throws Exception {
        ModelConfig cfg = TinyModels.gpt2();
        PeftConfig peft = PeftConfig.of(PeftMethod.LORA);
        CausalLM trained = TinyModels.random(cfg, manager, 1);
        String hash = Adapters.baseModelHash(trained);
        Peft.apply(trained, peft, manager);
        Path dir = tmp.resolve("a");
        Adapters.save(dir, trained, peft, hash);

        CausalLM other = TinyModels.random(cfg, manager, 2);
        String otherHash = Adapters.baseModelHash(other);
        assertThat(otherHash).isNotEqualTo(hash);
        assertThatThrownBy(() -> Adapters.load(dir, other, otherHash))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("base_model_hash").hasMessageContaining(hash)
                .hasMessageContaining(otherHash);
        assertThat(Lora.adapters(other)).isEmpty();
        assertThatThrownBy(() -> Adapters.load(tmp.resolve("missing"), other, otherHash))
                .isInstanceOf(UserInputException.class).hasMessageContaining("adapter_config.json");
        // a bad value in the stored config is reported with the file and the field
        Path config = dir.resolve(Adapters.CONFIG_FILE);
        Files.writeString(config, Files.readString(config).replace("\"lora_r\" : 8",
                "\"lora_r\" : -8"));
        assertThatThrownBy(() -> Adapters.load(dir, trained, hash))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining(Adapters.CONFIG_FILE).hasMessageContaining("lora_r")
                .hasMessageContaining("-8");
    }

    @Test
    void baseHashIgnoresAdaptersSurvivesQuantizationAndSeesEveryWeight() {
        ModelConfig cfg = TinyModels.llama();
        String hash = Adapters.baseModelHash(TinyModels.random(cfg, manager, 1));
        assertThat(Adapters.baseModelHash(TinyModels.random(cfg, manager, 1))).isEqualTo(hash);

        CausalLM lora = TinyModels.random(cfg, manager, 1);
        Peft.apply(lora, PeftConfig.of(PeftMethod.LORA), manager);
        TinyModels.randomizeAdapters(lora, 3);
        assertThat(Adapters.baseModelHash(lora)).isEqualTo(hash);

        CausalLM qlora = TinyModels.random(cfg, manager, 1);
        Peft.apply(qlora, PeftConfig.lora(PeftMethod.QLORA, 2, 4, List.of("all-linear")), manager);
        assertThat(Adapters.baseModelHash(qlora)).isEqualTo(hash);

        CausalLM nudged = TinyModels.random(cfg, manager, 1);
        NDArray w = nudged.namedParameters().get("blocks.1.mlp.gate_proj.weight").getArray();
        float[] v = w.toFloatArray();
        v[17] = Math.nextUp(v[17]);
        w.set(v);
        assertThat(Adapters.baseModelHash(nudged)).isNotEqualTo(hash);

        Lora.merge(lora);
        assertThatThrownBy(() -> Adapters.baseModelHash(lora))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void disablingAdaptersGivesTheBaseModelForDpoReference() {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 4);
        float[] base = TinyModels.logits(model, manager).toFloatArray();
        Peft.apply(model, PeftConfig.of(PeftMethod.LORA), manager);
        TinyModels.randomizeAdapters(model, 5);
        float[] adapted = TinyModels.logits(model, manager).toFloatArray();
        assertThat(adapted).isNotEqualTo(base);
        Adapters.setEnabled(model, false);
        assertThat(TinyModels.logits(model, manager).toFloatArray()).containsExactly(base);
        Adapters.setEnabled(model, true);
        assertThat(TinyModels.logits(model, manager).toFloatArray()).containsExactly(adapted);
    }

    @Test
    void savingAgainReplacesTheFolderAndLeavesNoTemporaries() throws Exception {
        CausalLM model = TinyModels.random(TinyModels.gpt2(), manager, 1);
        String hash = Adapters.baseModelHash(model);
        PeftConfig peft = PeftConfig.of(PeftMethod.LORA);
        Map<String, ai.djl.nn.Parameter> trainable = Peft.apply(model, peft, manager);
        Path dir = tmp.resolve("out");
        Adapters.save(dir, model, peft, hash);
        Files.writeString(dir.resolve("stale.txt"), "from an older save");
        TinyModels.sgdStep(model, trainable, manager, 0.1f);
        TinyModels.sgdStep(model, trainable, manager, 0.1f);
        Adapters.save(dir, model, peft, hash);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out");
        }
        assertThat(dir.resolve("stale.txt")).doesNotExist();
        float[] want = TinyModels.logits(model, manager).toFloatArray();
        CausalLM fresh = TinyModels.random(TinyModels.gpt2(), manager, 1);
        Adapters.load(dir, fresh, hash);
        assertThat(TinyModels.logits(fresh, manager).toFloatArray()).containsExactly(want);
        assertThatThrownBy(() -> Adapters.save(tmp.resolve("x"), model,
                PeftConfig.of(PeftMethod.FREEZE), hash)).isInstanceOf(IllegalArgumentException.class);
    }
}
