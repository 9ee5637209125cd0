package dev.align4j.datasets.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.align4j.core.gen.SamplingParams;
import dev.align4j.core.tokenizer.ByteTokenizer;
import dev.align4j.datasets.format.Message;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatPromptsTest {

    private static final ByteTokenizer TOK = new ByteTokenizer();

    @Test
    void earlierRepliesEndWithSuffixAndEosAndThePromptWithTheAssistantPrefix() {
        List<Message> chat = List.of(Message.system("S"), Message.user("a"), Message.assistant("b"), Message.user("c"));
        int[] want = concat(
                TOK.encode("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\nb<|im_end|>"),
                new int[] {TOK.eosId()},
                TOK.encode("\n<|im_start|>user\nc<|im_end|>\n<|im_start|>assistant\n"));
        assertThat(ChatPrompts.ids(TOK, Templates.CHATML, chat)).containsExactly(want);
    }

    @Test
    void aSingleTurnIsBosThenTheRenderedPrompt() {
        List<Message> one = List.of(Message.user("Add."));
        int[] body = TOK.encode(Templates.ALPACA.renderPrompt(one));
        assertThat(ChatPrompts.ids(TOK, Templates.ALPACA, one)).containsExactly(concat(new int[] {TOK.bosId()}, body));
        assertThat(ChatPrompts.ids(TOK, Templates.PLAIN, List.of(Message.user("hi"))))
                .containsExactly(TOK.bosId(), 'h', 'i');
    }

    @Test
    void theTemplatesEndOfReplyStopsGeneration() {
        SamplingParams chatml = ChatPrompts.withStops(SamplingParams.builder(), List.of("END"), TOK, Templates.CHATML).build();
        assertThat(chatml.eosTokenId()).isEqualTo(TOK.eosId());
        assertThat(chatml.stopTokenIds()).containsExactly(TOK.encode("<|im_end|>")[0]);
        assertThat(chatml.stopStrings()).containsExactly("END");
        // Llama 3's marker is not a special of the byte tokenizer: a stop string then
        SamplingParams llama = ChatPrompts.withStops(SamplingParams.builder(), List.of(), TOK, Templates.LLAMA3).build();
        assertThat(llama.stopTokenIds()).isEmpty();
        assertThat(llama.stopStrings()).containsExactly("<|eot_id|>");
        SamplingParams raw = ChatPrompts.withStops(SamplingParams.builder(), List.of(), TOK, null).build();
        assertThat(raw.stopTokenIds()).isEmpty();
        assertThat(raw.stopStrings()).isEmpty();
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
