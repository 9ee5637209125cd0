package dev.align4j.datasets.inspect;

import dev.align4j.core.tokenizer.Tokenizer;
import dev.align4j.datasets.format.Example;
import dev.align4j.datasets.format.LoadedDataset;
import dev.align4j.datasets.format.PreferenceExample;
import dev.align4j.datasets.format.PromptExample;
import dev.align4j.datasets.format.SftExample;
import dev.align4j.datasets.format.UnpairedExample;
import dev.align4j.datasets.template.ChatTemplate;
import dev.align4j.datasets.tokenize.PreferenceEncoder;
import dev.align4j.datasets.tokenize.SftEncoder;
import dev.align4j.datasets.tokenize.TokenizedPreference;
import dev.align4j.datasets.tokenize.TruncationSide;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tokenizes a loaded data set once to report lengths, truncation and two rendered examples. */
public final class DatasetInspector {

    private static final int SHOWN = 2;

    private DatasetInspector() {
    }

    public static DatasetReport inspect(LoadedDataset data, Tokenizer tok, String tokenizerName, ChatTemplate template,
                                        int cutoffLen) {
        List<Example> xs = data.examples();
        int n = xs.size();
        int[] prompt = new int[n];
        int[] resp = new int[n];
        int[] rej = new int[n];
        int[] total = new int[n];
        int over = 0;
        List<String> shown = new ArrayList<>();
        SftEncoder sft = new SftEncoder(tok, template, new SftEncoder.Config(cutoffLen, TruncationSide.RIGHT, false));
        // a large max length: the inspector measures, it does not cut
        PreferenceEncoder pref = new PreferenceEncoder(tok, template, new PreferenceEncoder.Config(Integer.MAX_VALUE, 1));
        boolean paired = false;
        for (int i = 0; i < n; i++) {
            Example ex = xs.get(i);
            if (ex instanceof SftExample s) {
                SftEncoder.Full f = sft.full(s);
                int first = 0;
                while (first < f.ids().length && !f.response()[first]) {
                    first++;
                }
                int trained = 0;
                for (boolean r : f.response()) {
                    trained += r ? 1 : 0;
                }
                prompt[i] = first;
                resp[i] = trained;
                total[i] = f.ids().length;
                sft.encode(s); // counts what truncation at the cutoff would drop
                if (shown.size() < SHOWN) {
                    shown.add(render(tok, f.ids(), f.response()));
                }
            } else if (ex instanceof PreferenceExample p) {
                paired = true;
                TokenizedPreference t = pref.encode(p);
                prompt[i] = t.promptLength();
                resp[i] = t.chosenLength();
                rej[i] = t.rejectedLength();
                total[i] = t.promptLength() + Math.max(t.chosenLength(), t.rejectedLength());
                if (shown.size() < SHOWN) {
                    shown.add(render(tok, t.promptIds(), t.chosenIds()) + "\n--- rejected ---\n"
                            + render(tok, t.promptIds(), t.rejectedIds()));
                }
            } else if (ex instanceof UnpairedExample u) {
                TokenizedPreference t = pref.encode(u);
                prompt[i] = t.promptLength();
                resp[i] = t.chosenLength();
                total[i] = prompt[i] + resp[i];
                if (shown.size() < SHOWN) {
                    shown.add(render(tok, t.promptIds(), t.chosenIds()) + "   (label " + u.label() + ")");
                }
            } else if (ex instanceof PromptExample p) {
                int[] ids = pref.promptIds(p.prompt());
                prompt[i] = ids.length;
                total[i] = ids.length;
                if (shown.size() < SHOWN) {
                    shown.add(render(tok, ids, new boolean[ids.length]));
                }
            }
            if (total[i] > cutoffLen) {
                over++;
            }
        }
        Map<String, DatasetReport.Percentiles> lengths = new LinkedHashMap<>();
        lengths.put("prompt", DatasetReport.Percentiles.of(prompt));
        if (paired) {
            lengths.put("chosen", DatasetReport.Percentiles.of(resp));
            lengths.put("rejected", DatasetReport.Percentiles.of(rej));
        } else if (!(n > 0 && xs.get(0) instanceof PromptExample)) {
            lengths.put("response", DatasetReport.Percentiles.of(resp));
        }
        lengths.put("total", DatasetReport.Percentiles.of(total));
        return new DatasetReport(data.file(), data.format(), n, data.skipped(), data.skipReasons(), tokenizerName,
                template.name(), cutoffLen, lengths, over, sft.droppedCount(), shown);
    }

    private static String render(Tokenizer tok, int[] promptIds, int[] replyIds) {
        int[] ids = new int[promptIds.length + replyIds.length];
        boolean[] trained = new boolean[ids.length];
        System.arraycopy(promptIds, 0, ids, 0, promptIds.length);
        System.arraycopy(replyIds, 0, ids, promptIds.length, replyIds.length);
        java.util.Arrays.fill(trained, promptIds.length, ids.length, true);
        return render(tok, ids, trained);
    }

    /** The text of {@code ids} with trained runs in [[ ]] and special tokens written out. */
    public static String render(Tokenizer tok, int[] ids, boolean[] trained) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < ids.length) {
            boolean t = trained[i];
            int j = i;
            while (j < ids.length && trained[j] == t) {
                j++;
            }
            sb.append(t ? "[[" : "");
            int k = i;
            for (int p = i; p <= j; p++) {
                Optional<String> special = p < j ? tok.specialToken(ids[p]) : Optional.empty();
                if (p == j || special.isPresent()) {
                    sb.append(tok.decode(java.util.Arrays.copyOfRange(ids, k, p)));
                    special.ifPresent(sb::append);
                    k = p + 1;
                }
            }
            sb.append(t ? "]]" : "");
            i = j;
        }
        return sb.toString();
    }
}
