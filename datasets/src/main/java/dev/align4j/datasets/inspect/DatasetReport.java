package dev.align4j.datasets.inspect;

import dev.align4j.core.stats.Stats;
import dev.align4j.datasets.format.DataFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link DatasetInspector} found in a data file; {@link #toText} is the human-readable form the
 * CLI prints.
 *
 * @param lengths token length percentiles per part ("prompt", "response" or "chosen"/"rejected", "total")
 * @param overCutoff records longer than the cutoff (they would be truncated)
 * @param dropped records that would lose their whole response at the cutoff (SFT, right truncation)
 * @param examples rendered records, trained tokens between [[ and ]]
 */
public record DatasetReport(Path file, DataFormat format, int records, int skipped, Map<String, Integer> skipReasons,
                            String tokenizer, String template, int cutoffLen, Map<String, Percentiles> lengths,
                            int overCutoff, int dropped, List<String> examples) {

    /** Token-length summary of one part of the records. */
    public record Percentiles(double mean, int p50, int p90, int p99, int max) {

        /** Mean and nearest-rank percentiles ({@link Stats#percentile}) of {@code values}; all 0 when empty. */
        public static Percentiles of(int[] values) {
            if (values.length == 0) {
                return new Percentiles(0, 0, 0, 0, 0);
            }
            return new Percentiles(Stats.mean(Stats.toDouble(values)), Stats.percentile(values, 50),
                    Stats.percentile(values, 90), Stats.percentile(values, 99), Stats.percentile(values, 100));
        }
    }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "file:      %s%nformat:    %s (%s)%nrecords:   %d valid, %d skipped%n",
                file, format.name().toLowerCase(Locale.ROOT), format.kind().name().toLowerCase(Locale.ROOT), records, skipped));
        skipReasons.forEach((why, n) -> sb.append(String.format(Locale.ROOT, "  skipped %5d  %s%n", n, why)));
        sb.append(String.format(Locale.ROOT, "tokenizer: %s%ntemplate:  %s%n", tokenizer, template));
        sb.append(String.format(Locale.ROOT, "%-10s %8s %6s %6s %6s %6s%n", "tokens", "mean", "p50", "p90", "p99", "max"));
        lengths.forEach((part, p) -> sb.append(String.format(Locale.ROOT, "%-10s %8.1f %6d %6d %6d %6d%n",
                part, p.mean(), p.p50(), p.p90(), p.p99(), p.max())));
        sb.append(String.format(Locale.ROOT, "cutoff %d: %d records longer (%.1f %%) would be truncated, %d would lose their whole response and be dropped%n",
                cutoffLen, overCutoff, records == 0 ? 0.0 : 100.0 * overCutoff / records, dropped));
        for (int i = 0; i < examples.size(); i++) {
            sb.append(String.format(Locale.ROOT, "%n--- example %d (trained tokens between [[ and ]], the rest is masked) ---%n%s%n",
                    i + 1, examples.get(i)));
        }
        return sb.toString();
    }
}
