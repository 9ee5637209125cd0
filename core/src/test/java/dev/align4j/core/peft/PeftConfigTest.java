package dev.align4j.core.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.align4j.core.UserInputException;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

class PeftConfigTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void missingKeysTakeTheDocumentedDefaults() throws Exception {
        PeftConfig c = json.readValue("{\"method\": \"qlora\"}", PeftConfig.class);
        assertThat(c.method()).isEqualTo(PeftMethod.QLORA);
        assertThat(c.loraR()).isEqualTo(8);
        assertThat(c.loraAlpha()).isEqualTo(16.0);
        assertThat(c.loraDropout()).isEqualTo(0.05);
        assertThat(c.loraTargetModules()).containsExactly("q_proj", "v_proj");
        assertThat(c.freezeTrainableLayers()).isEqualTo(2);
        assertThat(c.freezeTrainableModules()).isEmpty();
        assertThat(c.quantBlockSize()).isEqualTo(64);
        assertThat(c.doubleQuant()).isTrue();
        assertThat(c.loraScaling()).isEqualTo(2.0);
        assertThat(json.readValue("{}", PeftConfig.class).method()).isEqualTo(PeftMethod.LORA);
    }

    @Test
    void jsonUsesSnakeCaseAndRoundTrips() throws Exception {
        PeftConfig c = new PeftConfig(PeftMethod.LORA, 4, 8.0, 0.1, List.of("all-linear"), 1,
                List.of("mlp"), 32, false);
        String text = json.writeValueAsString(c);
        JsonNode tree = json.readTree(text);
        assertThat(tree.get("method").asText()).isEqualTo("lora");
        assertThat(tree.get("lora_target_modules").get(0).asText()).isEqualTo("all-linear");
        assertThat(tree.has("quant_block_size")).isTrue();
        assertThat(tree.has("loraR")).isFalse();
        assertThat(json.readValue(text, PeftConfig.class)).isEqualTo(c);
    }

    @Test
    void methodNamesAreCaseInsensitive() {
        assertThat(PeftMethod.parse("BitFit")).isEqualTo(PeftMethod.BITFIT);
        assertThatThrownBy(() -> PeftMethod.parse("prefix"))
                .hasMessageContaining("prefix").hasMessageContaining("qlora");
    }

    @Test
    void badValuesAreRejectedNamingFieldAndValue() {
        expectBad(() -> new PeftConfig(PeftMethod.LORA, 0, null, null, null, null, null, null, null),
                "lora_r", "0");
        expectBad(() -> new PeftConfig(PeftMethod.LORA, null, -2.0, null, null, null, null, null,
                null), "lora_alpha", "-2.0");
        expectBad(() -> new PeftConfig(PeftMethod.LORA, null, null, 1.0, null, null, null, null,
                null), "lora_dropout", "1.0");
        expectBad(() -> new PeftConfig(PeftMethod.LORA, null, null, null, List.of(), null, null,
                null, null), "lora_target_modules", "at least one");
        expectBad(() -> new PeftConfig(PeftMethod.LORA, null, null, null, List.of("q_proj", " "),
                null, null, null, null), "lora_target_modules", "' '");
        expectBad(() -> new PeftConfig(PeftMethod.QLORA, null, null, null,
                Arrays.asList("q_proj", null), null, null, null, null),
                "lora_target_modules", "null");
        expectBad(() -> new PeftConfig(PeftMethod.FREEZE, null, null, null, null, -1, null, null,
                null), "freeze_trainable_layers", "-1");
        expectBad(() -> PeftConfig.freeze(0, List.of()), "freeze_trainable_layers", "nothing");
        expectBad(() -> new PeftConfig(PeftMethod.QLORA, null, null, null, null, null, null, 63,
                null), "quant_block_size", "63");
        // an empty target list is fine where it is not used
        assertThat(new PeftConfig(PeftMethod.FULL, null, null, null, List.of(), null, null, null,
                null).method()).isEqualTo(PeftMethod.FULL);
    }

    private static void expectBad(Runnable r, String field, String value) {
        assertThatThrownBy(r::run).isInstanceOf(UserInputException.class)
                .hasMessageStartingWith(field + ": ").hasMessageContaining(value);
    }

    @Test
    void patternsMatchWholeDottedSuffixes() {
        assertThat(PeftConfig.matches("q_proj", "blocks.0.attn.q_proj")).isTrue();
        assertThat(PeftConfig.matches("attn.q_proj", "blocks.0.attn.q_proj")).isTrue();
        assertThat(PeftConfig.matches("blocks.0.attn.q_proj", "blocks.0.attn.q_proj")).isTrue();
        assertThat(PeftConfig.matches("proj", "blocks.0.attn.q_proj")).isFalse();
        assertThat(PeftConfig.matches("blocks.1", "blocks.11")).isFalse();
    }
}
