package dev.align4j.datasets.format;

import static dev.align4j.datasets.TestData.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLoaderTest {

    @Test
    void alpacaArrayWithLinesAndInputs() {
        LoadedDataset d = DatasetLoader.load(resource("alpaca_tiny.json"));
        assertThat(d.format()).isEqualTo(DataFormat.ALPACA);
        List<SftExample> xs = d.as(SftExample.class);
        assertThat(xs).hasSize(3);
        assertThat(xs.get(0).source().line()).isEqualTo(2);
        assertThat(xs.get(1).source().line()).isEqualTo(7);
        assertThat(xs.get(2).source().line()).isEqualTo(12);
        assertThat(xs.get(1).messages()).containsExactly(new Message(Role.USER, "Add the numbers.", "2 and 3"),
                Message.assistant("5"));
        assertThat(xs.get(1).prompt()).containsExactly(new Message(Role.USER, "Add the numbers.", "2 and 3"));
    }

    @Test
    void chatFormatsBecomeMessages() {
        List<SftExample> share = DatasetLoader.load(resource("sharegpt_tiny.jsonl")).as(SftExample.class);
        assertThat(share.get(0).messages()).extracting(Message::role)
                .containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
        assertThat(share.get(1).messages().get(0)).isEqualTo(Message.system("Be terse."));
        LoadedDataset openai = DatasetLoader.load(resource("openai_tiny.jsonl"));
        assertThat(openai.format()).isEqualTo(DataFormat.OPENAI);
        assertThat(openai.examples()).extracting(e -> e.source().line()).containsExactly(1L, 3L); // blank line 2
        assertThat(DatasetLoader.load(resource("completion_tiny.jsonl")).format()).isEqualTo(DataFormat.COMPLETION);
        SftExample text = (SftExample) DatasetLoader.load(resource("text_tiny.jsonl")).examples().get(0);
        assertThat(text.messages()).containsExactly(Message.assistant("the plot was dull ."));
        assertThat(text.prompt()).isEmpty();
    }

    @Test
    void preferenceStringsMessagesAndImplicitPrompt() {
        LoadedDataset d = DatasetLoader.load(resource("preference_tiny.jsonl"));
        assertThat(d.format()).isEqualTo(DataFormat.PREFERENCE);
        List<PreferenceExample> xs = d.as(PreferenceExample.class);
        assertThat(xs.get(0)).extracting(PreferenceExample::chosen, PreferenceExample::rejected, PreferenceExample::margin)
                .containsExactly("Apple.", "Rock.", 2.5);
        assertThat(xs.get(1).prompt()).containsExactly(Message.user("Greet me."));
        assertThat(xs.get(1).chosen()).isEqualTo("Hello!");
        assertThat(xs.get(2).prompt()).containsExactly(Message.user("Sum 1+1"));
        assertThat(xs.get(2).rejected()).isEqualTo("3");
    }

    @Test
    void ktoAndPrompts() {
        List<UnpairedExample> kto = DatasetLoader.load(resource("kto_tiny.jsonl")).as(UnpairedExample.class);
        assertThat(kto).extracting(UnpairedExample::label).containsExactly(true, false);
        LoadedDataset prompts = DatasetLoader.load(resource("prompts_tiny.jsonl"));
        assertThat(prompts.format()).isEqualTo(DataFormat.PROMPTS);
        assertThat(prompts.examples().get(0).prompt()).containsExactly(Message.user("the ending was"));
    }

    @Test
    void promptsOnlyTakesThePromptOfAnyFormat() {
        LoadedDataset d = DatasetLoader.load(resource("preference_tiny.jsonl"), LoadOptions.defaults().withPromptsOnly(true));
        assertThat(d.examples()).allMatch(e -> e instanceof PromptExample);
        assertThat(d.examples().get(0).prompt()).containsExactly(Message.user("Pick a fruit."));
    }

    @Test
    void columnMapping() {
        LoadOptions o = LoadOptions.defaults().withMapping(ColumnMapping.parse(List.of("instruction=question", "output=answer")));
        SftExample ex = (SftExample) DatasetLoader.load(resource("mapped_tiny.jsonl"), o).examples().get(0);
        assertThat(ex.messages().get(1).content()).isEqualTo("Paris.");
        assertThatThrownBy(() -> ColumnMapping.parse(List.of("question=instruction")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("--map: unknown field 'question'");
    }

    @Test
    void explicitFormatWinsOverDetection() {
        Path f = resource("mapped_tiny.jsonl");
        assertThatThrownBy(() -> DatasetLoader.load(f)).isInstanceOf(UserInputException.class)
                .hasMessageContaining("mapped_tiny.jsonl:1: cannot detect the format from fields [question, answer]");
        assertThatThrownBy(() -> DatasetLoader.load(f, LoadOptions.defaults().withFormat(DataFormat.ALPACA)))
                .hasMessageEndingWith("mapped_tiny.jsonl:1: instruction: missing field");
    }

    @Test
    void firstBadRecordStopsWithFileLineField() {
        assertThatThrownBy(() -> DatasetLoader.load(resource("bad_lines.jsonl")))
                .isInstanceOf(UserInputException.class).hasMessageEndingWith("bad_lines.jsonl:2: output: missing field");
    }

    @Test
    void skipInvalidCountsEveryKindOfProblem() {
        LoadedDataset d = DatasetLoader.load(resource("bad_lines.jsonl"), LoadOptions.defaults().withSkipInvalid(true));
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.skipped()).isEqualTo(4);
        assertThat(d.firstProblems()).hasSize(4);
        assertThat(d.firstProblems().get(0)).endsWith(":2: output: missing field");
        assertThat(d.firstProblems().get(1)).endsWith(":3: instruction: expected a string, got number");
        assertThat(d.firstProblems().get(2)).endsWith(":4: output: empty response");
        assertThat(d.firstProblems().get(3)).contains(":5: invalid JSON");
    }

    @Test
    void invalidUtf8IsReportedWithItsLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jsonl");
        byte[] good = "{\"text\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(good);
            out.write(bad);
            out.write(good);
        }
        assertThatThrownBy(() -> DatasetLoader.load(f)).hasMessageEndingWith("bad.jsonl:2: invalid UTF-8");
        assertThat(DatasetLoader.load(f, LoadOptions.defaults().withSkipInvalid(true)).size()).isEqualTo(2);

        Path arr = dir.resolve("bad.json");
        try (OutputStream out = Files.newOutputStream(arr)) {
            out.write("[\n{\"text\": \"ok\"},\n".getBytes(StandardCharsets.UTF_8));
            out.write(bad, 0, bad.length - 1);
            out.write("\n]".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> DatasetLoader.load(arr)).hasMessageEndingWith("bad.json:3: invalid UTF-8");
    }

    @Test
    void gzipIsRecognisedByContent(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("data.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(resource("sharegpt_tiny.jsonl")));
        }
        LoadedDataset d = DatasetLoader.load(gz);
        assertThat(d.format()).isEqualTo(DataFormat.SHAREGPT);
        assertThat(d.examples()).extracting(e -> e.source().line()).containsExactly(1L, 2L);
    }

    @Test
    void missingFileAndEmptyFileAreUserErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> DatasetLoader.load(dir.resolve("nope.jsonl"))).isInstanceOf(UserInputException.class)
                .hasMessageContaining("no such file");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n");
        assertThatThrownBy(() -> DatasetLoader.load(empty)).hasMessageContaining("no records");
    }
}
