package dev.align4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * {@code align4j --help} lists the commands by stage of the workflow instead of one flat list.
 * A command not named here (a new one) is listed under "Other", so none is ever hidden.
 */
final class CommandGroups {

    /** Stage heading to the command names under it, in the order shown. */
    static final Map<String, List<String>> STAGES = stages();

    private CommandGroups() {
    }

    private static Map<String, List<String>> stages() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Data", List.of("data", "tokenizer", "annotate"));
        m.put("Train", List.of("pretrain", "sft", "reward"));
        m.put("Align", List.of("dpo", "ppo", "grpo", "rloo", "reinforce-pp"));
        m.put("Evaluate", List.of("generate", "chat", "eval", "bench", "report"));
        m.put("Tools", List.of("pipeline", "export", "info", "completion"));
        return m;
    }

    /** Replaces {@code cl}'s command list section with the grouped one. */
    static void install(CommandLine cl) {
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
        cl.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, CommandGroups::render);
    }

    static String render(Help help) {
        // keyed by command name; Help's own keys may carry the aliases too
        Map<String, Help> byName = new LinkedHashMap<>();
        help.subcommands().values().forEach(h -> byName.putIfAbsent(h.commandSpec().name(), h));
        if (byName.isEmpty()) {
            return "";
        }
        Set<String> left = new LinkedHashSet<>(byName.keySet());
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> stage : STAGES.entrySet()) {
            List<String> names = new ArrayList<>(stage.getValue());
            names.retainAll(left);
            left.removeAll(names);
            section(sb, help, byName, stage.getKey(), names);
        }
        section(sb, help, byName, "Other", new ArrayList<>(left));
        return sb.toString();
    }

    private static void section(StringBuilder sb, Help help, Map<String, Help> byName, String heading,
            List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        Map<String, Help> subset = new LinkedHashMap<>();
        for (String n : names) {
            subset.put(n, byName.get(n));
        }
        sb.append(System.lineSeparator()).append(heading).append(':').append(System.lineSeparator());
        sb.append(help.commandList(subset));
    }
}
