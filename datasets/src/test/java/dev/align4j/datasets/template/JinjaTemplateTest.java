package dev.align4j.datasets.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.align4j.datasets.format.Message;
import dev.align4j.datasets.format.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each template's Jinja form, run by Python's jinja2 in the sandboxed environment transformers uses
 * (trim_blocks, lstrip_blocks), must give the text our renderer gives, EOS where the encoder adds it.
 * Skipped where python3 with jinja2 is not installed.
 */
class JinjaTemplateTest {

    private static final String BOS = "<|bos|>";
    private static final String EOS = "<|eos|>";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String RENDER = String.join("\n",
            "import json, sys",
            "from jinja2.sandbox import ImmutableSandboxedEnvironment",
            "env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)",
            "out = []",
            "for case in json.load(open(sys.argv[1], encoding='utf-8')):",
            "    t = env.from_string(case['template'])",
            "    out.append(t.render(messages=case['messages'], add_generation_prompt=case['gen'],",
            "                        bos_token='" + BOS + "', eos_token='" + EOS + "'))",
            "json.dump(out, open(sys.argv[2], 'w', encoding='utf-8'))");

    private static List<List<Message>> conversations() {
        return List.of(
                List.of(Message.user("Hi 'there' \\ \"you\"\n\tnaïve 猫 🙂"), Message.assistant("Hello.")),
                List.of(Message.system("Be brief."), Message.user("2+2?"), Message.assistant("4"),
                        Message.user("and {content} {input}?")),
                List.of(new Message(Role.USER, "Summarise", "a long {content} text"), Message.assistant("short")),
                List.of(Message.user("only a prompt")));
    }

    @Test
    void jinjaRendersWhatTheJavaTemplateRenders(@TempDir Path dir) throws Exception {
        List<ChatTemplate> templates = new ArrayList<>(List.of(Templates.ALPACA, Templates.CHATML, Templates.LLAMA3,
                Templates.PLAIN));
        templates.add(new ChatTemplate("sys", false, "You are kind.", "[S]{content}[/S]", "[U]{content}", null, "[A]",
                "!", "\n"));
        ArrayNode cases = JSON.createArrayNode();
        List<String> expected = new ArrayList<>();
        for (ChatTemplate t : templates) {
            for (List<Message> conv : conversations()) {
                for (boolean gen : new boolean[] {false, true}) {
                    ObjectNode c = cases.addObject().put("template", t.toJinja()).put("gen", gen);
                    ArrayNode msgs = c.putArray("messages");
                    for (Message m : conv) {
                        ObjectNode n = msgs.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT))
                                .put("content", m.content());
                        if (!m.input().isEmpty()) {
                            n.put("input", m.input());
                        }
                    }
                    expected.add(javaText(t, conv, gen));
                }
            }
        }
        Path in = dir.resolve("cases.json");
        Path out = dir.resolve("out.json");
        Files.writeString(in, JSON.writeValueAsString(cases), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(runPython(dir, in, out), "python3 with jinja2 is not installed");
        JsonNode got = JSON.readTree(out.toFile());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(got.get(i).asText()).as("case %d: %s", i, cases.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void literalsEscapeQuotesBackslashesAndNewlines() {
        assertThat(JinjaTemplate.literal("a'b\\c\nd")).isEqualTo("'a\\'b\\\\c\\nd'");
        assertThat(JinjaTemplate.emit("x{content}y", java.util.Map.of("{content}", "m['content']")))
                .isEqualTo("{{- 'x' + m['content'] + 'y' }}");
    }

    /**
     * BOS, the rendered segments with EOS after each reply (as the SFT encoder and ChatPrompts.ids
     * place it), then the assistant prefix for a generation prompt.
     */
    private static String javaText(ChatTemplate t, List<Message> conv, boolean gen) {
        StringBuilder sb = new StringBuilder(t.bos() ? BOS : "");
        for (ChatTemplate.Segment s : t.render(conv)) {
            sb.append(s.text()).append(s.endsTurn() ? EOS : "");
        }
        return sb.append(gen ? t.assistantPrefix() : "").toString();
    }

    private static boolean runPython(Path dir, Path in, Path out) throws Exception {
        Path script = dir.resolve("render.py");
        Files.writeString(script, RENDER);
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), in.toString(), out.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            return false; // no python3
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        if (p.exitValue() != 0 && log.contains("No module named 'jinja2'")) {
            return false;
        }
        assertThat(p.exitValue()).as(log).isZero();
        return true;
    }
}
