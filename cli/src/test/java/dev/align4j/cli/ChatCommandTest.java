package dev.align4j.cli;

import static dev.align4j.cli.TinyModelDirs.TOK;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.align4j.cli.TinyModelDirs.Result;
import dev.align4j.core.gen.Generator;
import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.model.ModelConfig;
import dev.align4j.datasets.bundle.ModelBundle;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import dev.align4j.datasets.template.Templates;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatCommandTest {

    @TempDir
    Path tmp;

    private static ChatCommand chat(String stdin) {
        return new ChatCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void secondTurnContinuesTheWholeHistoryRenderedWithTheTemplate() {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.CHATML, 1, null);
        ChatCommand cmd = chat("hello\nhow are you\n/exit\nnever read\n");
        Result r = TinyModelDirs.run(cmd, "chat", "--model", model.toString(), "--temperature", "0",
                "--max-new-tokens", "6");
        assertThat(r.code()).as(r.err()).isZero();
        List<Message> history = cmd.session.history();
        assertThat(history).extracting(Message::role).containsExactly(Role.USER, Role.ASSISTANT, Role.USER, Role.ASSISTANT);
        assertThat(history.get(2).content()).isEqualTo("how are you");
        String first = history.get(1).content();
        String second = history.get(3).content();

        // ChatML by hand: the first reply closed with <|im_end|> and EOS, as SFT trains it
        int[] firstIds = TOK.encode("<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n");
        int[] secondIds = concat(TOK.encode("<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n" + first
                + "<|im_end|>"), new int[] {TOK.eosId()},
                TOK.encode("\n<|im_start|>user\nhow are you<|im_end|>\n<|im_start|>assistant\n"));
        SamplingParams greedy = SamplingParams.greedy(6).toBuilder().eosTokenId(TOK.eosId())
                .stopTokenIds(List.of(TOK.encode("<|im_end|>")[0])).build();
        try (ModelBundle b = ModelBundle.load(model, Device.cpu(), null)) {
            Generator g = new Generator(b.model(), b.tokenizer());
            assertThat(first).isEqualTo(g.generate(List.of(firstIds), new long[] {SamplingParams.rowSeed(0, 0)}, greedy, null).get(0).text());
            // reply i samples with rowSeed(seed, i); greedy ignores it, but pass what the session passes
            assertThat(second).isEqualTo(g.generate(List.of(secondIds), new long[] {SamplingParams.rowSeed(0, 1)}, greedy,
                    null).get(0).text());
        }
        // both replies were streamed to stdout, each after its input prompt
        assertThat(r.out()).contains("> " + first).contains("> " + second);
    }

    @Test
    void commandsChangeParametersAndResetForgetsTheConversation() {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.CHATML, 2, null);
        ChatCommand cmd = chat(String.join("\n", "/temperature 0.7", "/top_p 0.9", "/max_new_tokens 3",
                "hi", "/temperature hot", "/top_p 2", "/bogus", "/help", "/reset", "/system Be brief.", ""));
        Result r = TinyModelDirs.run(cmd, "chat", "--model", model.toString(), "--system", "You judge films.");
        assertThat(r.code()).as(r.err()).isZero();
        SamplingParams p = cmd.session.params();
        assertThat(p.temperature()).isEqualTo(0.7f);
        assertThat(p.topP()).isEqualTo(0.9);
        assertThat(p.maxNewTokens()).isEqualTo(3);
        assertThat(r.out()).contains("(temperature 0.7)", "(top_p 0.9)", "(max_new_tokens 3)",
                "/temperature needs a number, got 'hot'", "top_p must be in (0, 1]", "unknown command /bogus",
                "/reset", "(conversation cleared)", "(system prompt set)");
        // after /reset only the (new) system prompt is left; EOF ended the session
        assertThat(cmd.session.history()).containsExactly(Message.system("Be brief."));
    }

    @Test
    void aShortContextModelAnswersWithTheDefaultMaxNewTokens() {
        // context 48 like the sentiment SFT model: the default 128 new tokens are cut to what is left
        Path model = TinyModelDirs.save(tmp.resolve("short"), ModelConfig.gpt2(TOK.vocabSize(), 48, 32, 1, 2),
                Templates.PLAIN, 4, null);
        ChatCommand cmd = chat("This movie was\nand then\n");
        Result r = TinyModelDirs.run(cmd, "chat", "--model", model.toString(), "--temperature", "0",
                "--min-new-tokens", "100");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("too long");
        List<Message> history = cmd.session.history();
        // the second message dropped the first exchange (no room for it), then was answered
        assertThat(history).extracting(Message::content).first().isEqualTo("and then");
        assertThat(history).hasSize(2);
        // BOS + the message; --min-new-tokens 100 (lowered too) keeps EOS away, so each reply fills the room
        assertThat(r.out()).contains("(cut at max_new_tokens " + (48 - 1 - "This movie was".length()) + ")")
                .contains("(cut at max_new_tokens " + (48 - 1 - "and then".length()) + ")");
        assertThat(cmd.session.params().maxNewTokens()).isEqualTo(128); // the setting itself is unchanged
    }

    @Test
    void systemPromptLeadsTheHistoryAndAMissingModelIsExitTwo() {
        Path model = TinyModelDirs.save(tmp.resolve("m"), TinyModelDirs.gpt2(), Templates.CHATML, 3, null);
        ChatCommand cmd = chat("hi\n");
        Result r = TinyModelDirs.run(cmd, "chat", "--model", model.toString(), "--system", "You judge films.",
                "--max-new-tokens", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(cmd.session.history()).hasSize(3).first().isEqualTo(Message.system("You judge films."));

        Path missing = tmp.resolve("nope");
        Result bad = TinyModelDirs.run(chat(""), "chat", "--model", missing.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains(missing.toString());
    }

    private static int[] concat(int[]... parts) {
        int[] out = new int[0];
        for (int[] p : parts) {
            int at = out.length;
            out = Arrays.copyOf(out, at + p.length);
            System.arraycopy(p, 0, out, at, p.length);
        }
        return out;
    }
}
