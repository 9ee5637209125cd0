package dev.align4j.annotate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairFileTest {

    @TempDir
    Path tmp;

    @Test
    void responsesRecordsWithAndWithoutIds() throws IOException {
        Path f = Files.writeString(tmp.resolve("p.jsonl"), """
                {"id": 7, "prompt": "hi", "responses": ["x", "y"]}
                {"prompt": [{"role": "system", "content": "be kind"}, {"role": "user", "content": "q"}], "responses": ["u", "v"]}
                """);
        List<Pair> ps = PairFile.read(f);
        assertThat(ps.get(0).id()).isEqualTo("7");
        assertThat(ps.get(0).a()).isEqualTo("x");
        assertThat(ps.get(1).prompt()).extracting(Message::role).containsExactly(Role.SYSTEM, Role.USER);
        assertThat(ps.get(1).id()).isEqualTo(PromptJson.contentId(ps.get(1).prompt(), "u", "v")).hasSize(16);
    }

    @Test
    void preferenceFilesGiveChosenAsAAndRejectedAsB() throws IOException {
        Path f = Files.writeString(tmp.resolve("pref.jsonl"), """
                {"prompt": "p", "chosen": "good", "rejected": "bad", "id": "k1"}
                {"chosen": "\\n\\nHuman: hello\\n\\nAssistant: nice reply", "rejected": "\\n\\nHuman: hello\\n\\nAssistant: rude"}
                """.replace("{\"chosen\"", "{\"prompt\": \"p2\", \"chosen\""));
        List<Pair> ps = PairFile.read(f);
        assertThat(ps.get(0)).extracting(Pair::id, Pair::a, Pair::b).containsExactly("k1", "good", "bad");
        Path hh = Files.writeString(tmp.resolve("hh.jsonl"),
                "{\"chosen\": \"\\n\\nHuman: hello\\n\\nAssistant: nice reply\", "
                        + "\"rejected\": \"\\n\\nHuman: hello\\n\\nAssistant: rude\"}\n");
        Pair h = PairFile.read(hh).get(0);
        assertThat(h.a()).isEqualTo("nice reply");
        assertThat(h.b()).isEqualTo("rude");
        assertThat(PromptJson.display(h.prompt())).isEqualTo("hello");
    }

    @Test
    void badRecordsNameFileLineAndField() throws IOException {
        Path dup = Files.writeString(tmp.resolve("dup.jsonl"), """
                {"id": "a", "prompt": "p", "responses": ["x", "y"]}
                {"id": "a", "prompt": "p", "responses": ["x", "z"]}
                """);
        assertThatThrownBy(() -> PairFile.read(dup)).isInstanceOf(UserInputException.class)
                .hasMessageContaining(dup + ":2: id: 'a' is also the id of line 1");
        Path same = Files.writeString(tmp.resolve("same.jsonl"), "{\"prompt\": \"p\", \"responses\": [\"x\", \"x\"]}\n");
        assertThatThrownBy(() -> PairFile.read(same)).hasMessageContaining(same + ":1: responses: the two responses "
                + "are identical");
        Path mixed = Files.writeString(tmp.resolve("mixed.jsonl"), "{\"prompt\": \"p\", \"responses\": [\"x\", \"y\"]}\n"
                + "{\"prompt\": \"p\", \"responses\": [\"x\", \"\"]}\n");
        assertThat(PairFile.read(mixed, true)).hasSize(1);
        Path three = Files.writeString(tmp.resolve("three.jsonl"), "{\"prompt\": \"p\", \"responses\": [\"x\"]}\n");
        assertThatThrownBy(() -> PairFile.read(three)).hasMessageContaining(":1: responses: expected a list of two");
        Path sft = Files.writeString(tmp.resolve("sft.jsonl"), "{\"instruction\": \"i\", \"output\": \"o\"}\n");
        assertThatThrownBy(() -> PairFile.read(sft)).hasMessageContaining(sft + ":1: not a preference record");
    }

    @Test
    void repeatedPairsWithoutIdsAreReadOnce() throws IOException {
        String line = "{\"prompt\": \"p\", \"responses\": [\"x\", \"y\"]}\n";
        Path f = Files.writeString(tmp.resolve("rep.jsonl"), line + line);
        assertThat(PairFile.read(f)).hasSize(1);
    }

    @Test
    void theSharedHhFileReads() {
        String shared = System.getProperty("align4j.shared");
        Path hh = shared == null ? null : Path.of(shared, "data", "hh_harmless_1500.jsonl");
        org.junit.jupiter.api.Assumptions.assumeTrue(hh != null && Files.isRegularFile(hh));
        // the file has a few records with an empty response: an error unless they are skipped
        assertThatThrownBy(() -> PairFile.read(hh)).hasMessageContaining(": empty response");
        List<Pair> ps = PairFile.read(hh, true);
        assertThat(ps.size()).isBetween(1400, 1500);
        assertThat(ps).allMatch(p -> !p.a().equals(p.b()));
    }
}
