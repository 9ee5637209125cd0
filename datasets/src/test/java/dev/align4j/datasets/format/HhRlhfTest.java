package dev.align4j.datasets.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.datasets.TestData;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

class HhRlhfTest {

    @Test
    void splitsOnSharedPrefixIntoTurnsAndFinalReplies() {
        HhRlhf.Pair p = HhRlhf.split("\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Joke?\n\nAssistant: Why did...",
                "\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Joke?\n\nAssistant: No.");
        assertThat(p.prompt()).containsExactly(Message.user("Hi"), Message.assistant("Hello"), Message.user("Joke?"));
        assertThat(p.chosen()).isEqualTo("Why did...");
        assertThat(p.rejected()).isEqualTo("No.");
    }

    @Test
    void repliesSharingTheirStartStillSplitAtTheTurn() {
        HhRlhf.Pair p = HhRlhf.split("\n\nHuman: Q\n\nAssistant: I think yes", "\n\nHuman: Q\n\nAssistant: I think no");
        assertThat(p.chosen()).isEqualTo("I think yes");
        assertThat(p.rejected()).isEqualTo("I think no");
    }

    @Test
    void refusesPairsThatCannotBeSplit() {
        assertThatThrownBy(() -> HhRlhf.split("\n\nHuman: a\n\nAssistant: b", "\n\nHuman: a\n\nAssistant: b"))
                .isInstanceOf(RecordError.class).hasMessage("rejected: identical to chosen, nothing to prefer");
        assertThatThrownBy(() -> HhRlhf.split("\n\nHuman: Q1\n\nAssistant: A1\n\nHuman: Q2\n\nAssistant: A2",
                "\n\nHuman: Q1\n\nAssistant: B1\n\nHuman: Q2\n\nAssistant: B2"))
                .hasMessage("chosen: transcripts differ before the final assistant turn");
        assertThatThrownBy(() -> HhRlhf.split("\n\nHuman: x", "\n\nHuman: y"))
                .hasMessageContaining("share no assistant turn");
        assertThatThrownBy(() -> HhRlhf.split("\n\nHuman: x\n\nAssistant:", "\n\nHuman: x\n\nAssistant: y"))
                .hasMessage("chosen: empty response");
    }

    @Test
    void fixtureFileLoadsWithReasonsForRefusals() {
        LoadedDataset d = DatasetLoader.load(TestData.resource("hh_tiny.jsonl"), LoadOptions.defaults().withSkipInvalid(true));
        assertThat(d.format()).isEqualTo(DataFormat.HH_RLHF);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.skipReasons()).containsOnlyKeys("rejected: identical to chosen, nothing to prefer",
                "chosen: transcripts differ before the final assistant turn");
    }

    @Test
    void sharedHarmlessFileParses() {
        LoadedDataset d = DatasetLoader.load(TestData.shared("data/hh_harmless_1500.jsonl"),
                LoadOptions.defaults().withSkipInvalid(true));
        LogManager.getLogger(HhRlhfTest.class).info("hh_harmless_1500: {} pairs, {} refused: {}", d.size(), d.skipped(),
                d.skipReasons());
        assertThat(d.format()).isEqualTo(DataFormat.HH_RLHF);
        assertThat(d.size() + d.skipped()).isEqualTo(1500);
        assertThat(d.size()).isGreaterThan(1400);
        List<PreferenceExample> xs = d.as(PreferenceExample.class);
        assertThat(xs).allSatisfy(x -> {
            assertThat(x.prompt()).isNotEmpty();
            assertThat(x.prompt().get(x.prompt().size() - 1).role()).isEqualTo(Role.USER);
            assertThat(x.chosen()).isNotBlank().doesNotContain("\n\nHuman:");
            assertThat(x.chosen()).isNotEqualTo(x.rejected());
        });
    }
}
