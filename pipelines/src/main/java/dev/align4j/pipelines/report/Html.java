package dev.align4j.pipelines.report;

import java.util.List;

/** Small HTML helpers: escaping, tables, preformatted blocks. */
final class Html {

    static final String STYLE = "body{font-family:sans-serif;margin:24px;max-width:1140px;color:#222}"
            + "h1{font-size:24px}h2{font-size:20px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}"
            + "h3{font-size:16px}table{border-collapse:collapse;margin:8px 0;font-size:13px}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}"
            + "pre{background:#f7f7f7;padding:8px;font-size:12px;max-height:320px;overflow:auto}"
            + ".charts img{margin:4px;border:1px solid #ddd}details{margin:6px 0}";

    private Html() {
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }

    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table><tr>");
        header.forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
        sb.append("</tr>\n");
        for (List<String> r : rows) {
            sb.append("<tr>");
            r.forEach(c -> sb.append("<td>").append(esc(c)).append("</td>"));
            sb.append("</tr>\n");
        }
        return sb.append("</table>\n").toString();
    }

    static String pre(String summary, String text) {
        return "<details><summary>" + esc(summary) + "</summary><pre>" + esc(text) + "</pre></details>\n";
    }
}
