package dev.align4j.pipelines.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A run's curves as PNG images (XChart, drawn off screen), one chart per family of metrics: loss,
 * reward / score, KL, accuracy, learning rate. Each metric goes to the first family whose test it
 * passes; metrics of no family are not drawn.
 */
public final class Charts {

    /** The families, in the order they are drawn. */
    static final Map<String, Predicate<String>> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("learning rate", k -> k.equals("lr") || k.equals("learning_rate"));
        FAMILIES.put("KL", k -> k.equals("kl") || k.endsWith("_kl") || k.startsWith("kl") && !k.equals("kl_coef"));
        FAMILIES.put("accuracy", k -> k.contains("accura"));
        FAMILIES.put("loss", k -> k.contains("loss"));
        FAMILIES.put("reward / score", k -> k.contains("score") || k.contains("reward") || k.contains("margin"));
    }

    /** One drawn chart. */
    public record Chart(String title, String pngBase64) {
    }

    private Charts() {
    }

    public static List<Chart> draw(String run, Map<String, MetricsSeries.Series> series) {
        System.setProperty("java.awt.headless", "true");
        Map<String, List<MetricsSeries.Series>> byFamily = new LinkedHashMap<>();
        FAMILIES.keySet().forEach(f -> byFamily.put(f, new ArrayList<>()));
        for (MetricsSeries.Series s : series.values()) {
            for (Map.Entry<String, Predicate<String>> f : FAMILIES.entrySet()) {
                if (f.getValue().test(s.name().toLowerCase(Locale.ROOT))) {
                    byFamily.get(f.getKey()).add(s);
                    break;
                }
            }
        }
        List<Chart> out = new ArrayList<>();
        byFamily.forEach((family, list) -> {
            if (!list.isEmpty()) {
                out.add(new Chart(family, png(run + ": " + family, list)));
            }
        });
        return out;
    }

    private static String png(String title, List<MetricsSeries.Series> list) {
        XYChart chart = new XYChartBuilder().width(540).height(320).title(title).xAxisTitle("step").build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (MetricsSeries.Series s : list) {
            XYSeries x = chart.addSeries(s.name(), s.steps(), s.values());
            x.setMarker(s.steps().size() > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        try {
            byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            return Base64.getEncoder().encodeToString(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + title, e);
        }
    }
}
