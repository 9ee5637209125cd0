package dev.align4j.datasets.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.align4j.core.UserInputException;
import dev.align4j.datasets.TestData;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static String joined(ChatTemplate t, List<Message> ms) {
        StringBuilder sb = new StringBuilder();
        t.render(ms).forEach(s -> sb.append(s.text()).append(s.endsTurn() ? "<EOS>" : ""));
        return sb.toString();
    }

    @Test
    void alpacaWithAndWithoutInput() {
        assertThat(joined(Templates.ALPACA, List.of(Message.user("Name a color."), Message.assistant("Red."))))
                .isEqualTo("Below is an instruction that describes a task. Write a response that appropriately "
                        + "completes the request.\n\n### Instruction:\nName a color.\n\n### Response:\nRed.<EOS>\n\n");
        assertThat(Templates.ALPACA.renderPrompt(List.of(new Message(Role.USER, "Add.", "2 and 3"))))
                .isEqualTo("Below is an instruction that describes a task, paired with an input that provides further "
                        + "context. Write a response that appropriately completes the request.\n\n"
                        + "### Instruction:\nAdd.\n\n### Input:\n2 and 3\n\n### Response:\n");
    }

    @Test
    void chatmlMultiTurnMarksOnlyAssistantRepliesTrained() {
        List<Message> ms = List.of(Message.system("S"), Message.user("U1"), Message.assistant("A1"),
                Message.user("U2"), Message.assistant("A2"));
        assertThat(joined(Templates.CHATML, ms)).isEqualTo("<|im_start|>system\nS<|im_end|>\n"
                + "<|im_start|>user\nU1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|><EOS>\n"
                + "<|im_start|>user\nU2<|im_end|>\n<|im_start|>assistant\nA2<|im_end|><EOS>\n");
        assertThat(Templates.CHATML.render(ms).stream().filter(ChatTemplate.Segment::trained).map(ChatTemplate.Segment::text))
                .containsExactly("A1<|im_end|>", "A2<|im_end|>");
    }

    @Test
    void inputPlaceholderInsideContentStaysLiteral() {
        String p = Templates.ALPACA.renderPrompt(List.of(new Message(Role.USER, "say {input}", "x {content}")));
        assertThat(p).contains("### Instruction:\nsay {input}\n\n### Input:\nx {content}\n\n");
    }

    @Test
    void jsonRoundTrip() {
        for (String name : Templates.names()) {
            ChatTemplate t = Templates.resolve(name);
            assertThat(ChatTemplate.fromJson(t.toJson())).isEqualTo(t);
        }
        assertThat(Templates.CHATML.toJson()).contains("\"assistant_prefix\" : \"<|im_start|>assistant\\n\"");
    }

    @Test
    void userTemplateFromYaml() {
        ChatTemplate t = Templates.resolve(TestData.resource("template.yaml").toString());
        assertThat(t.name()).isEqualTo("qa");
        assertThat(t.renderPrompt(List.of(Message.user("hi")))).isEqualTo("Q: hi\nA: ");
    }

    @Test
    void badTemplatesNameTheProblem() {
        assertThatThrownBy(() -> Templates.load(TestData.resource("template_bad.yaml")))
                .isInstanceOf(UserInputException.class).hasMessageContaining("assistent_prefix: unknown key");
        assertThatThrownBy(() -> new ChatTemplate("x", false, "", null, "no placeholder", null, "", "", ""))
                .hasMessageContaining("template x: user: must contain {content}");
        assertThatThrownBy(() -> Templates.resolve("nonesuch")).hasMessageContaining("neither a built-in template");
    }
}
