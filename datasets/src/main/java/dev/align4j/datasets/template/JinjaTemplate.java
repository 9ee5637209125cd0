package dev.align4j.datasets.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link ChatTemplate} as the Jinja chat template transformers' {@code apply_chat_template} runs:
 * the same text for the same messages, with {@code bos_token} first when the template uses BOS,
 * {@code eos_token} after each assistant reply (where align4j's encoder adds EOS), an optional
 * {@code input} key on user messages (Alpaca-style), and the assistant prefix when
 * {@code add_generation_prompt} is set. Every piece of literal text is a quoted Jinja string, so
 * whitespace control and {@code trim_blocks} cannot change it.
 */
final class JinjaTemplate {

    private static final String CONTENT = "m['content']";
    private static final String INPUT = "m['input']";

    private JinjaTemplate() {
    }

    static String of(ChatTemplate t) {
        StringBuilder j = new StringBuilder();
        if (t.bos()) {
            j.append("{{- bos_token }}");
        }
        j.append("{%- if messages and messages[0]['role'] == 'system' %}");
        j.append("{%- set m = messages[0] %}").append(emit(t.system(), Map.of(ChatTemplate.CONTENT, CONTENT)));
        j.append("{%- set rest = messages[1:] %}{%- else %}");
        if (!t.defaultSystem().isEmpty()) {
            j.append(emit(t.system(), Map.of(ChatTemplate.CONTENT, literal(t.defaultSystem()))));
        }
        j.append("{%- set rest = messages %}{%- endif %}");
        j.append("{%- for m in rest %}");
        j.append("{%- if m['role'] == 'user' %}");
        j.append("{%- if m['input'] is defined and m['input'] %}").append(userWithInput(t));
        j.append("{%- else %}").append(emit(t.user(), Map.of(ChatTemplate.CONTENT, CONTENT))).append("{%- endif %}");
        j.append("{%- elif m['role'] == 'assistant' %}");
        j.append(emit(t.assistantPrefix() + ChatTemplate.CONTENT + t.assistantSuffix(), Map.of(ChatTemplate.CONTENT, CONTENT)));
        j.append("{{- eos_token }}").append(emit(t.turnEnd(), Map.of()));
        j.append("{%- elif m['role'] == 'system' %}").append(emit(t.system(), Map.of(ChatTemplate.CONTENT, CONTENT)));
        j.append("{%- endif %}{%- endfor %}");
        j.append("{%- if add_generation_prompt %}").append(emit(t.assistantPrefix(), Map.of())).append("{%- endif %}");
        return j.toString();
    }

    private static String userWithInput(ChatTemplate t) {
        if (t.userWithInput() != null) {
            return emit(t.userWithInput(), Map.of(ChatTemplate.CONTENT, CONTENT, ChatTemplate.INPUT, INPUT));
        }
        return emit(t.user(), Map.of(ChatTemplate.CONTENT, CONTENT + " + '\\n\\n' + " + INPUT));
    }

    /**
     * One output expression for {@code format}: its literal runs quoted, each placeholder (a key of
     * {@code exprs}) replaced by its expression in a single pass, so text inside a message is never
     * substituted again. Empty when the format is empty.
     */
    static String emit(String format, Map<String, String> exprs) {
        List<String> terms = new ArrayList<>();
        int pos = 0;
        while (pos < format.length()) {
            int next = format.length();
            String hit = null;
            for (String p : exprs.keySet()) {
                int at = format.indexOf(p, pos);
                if (at >= 0 && at < next) {
                    next = at;
                    hit = p;
                }
            }
            if (next > pos) {
                terms.add(literal(format.substring(pos, next)));
            }
            if (hit == null) {
                break;
            }
            terms.add(exprs.get(hit));
            pos = next + hit.length();
        }
        return terms.isEmpty() ? "" : "{{- " + String.join(" + ", terms) + " }}";
    }

    /** A single-quoted Jinja string literal of {@code s}. */
    static String literal(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('\'').toString();
    }
}
