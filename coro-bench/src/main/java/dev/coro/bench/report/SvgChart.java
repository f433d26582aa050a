package dev.coro.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * A grouped horizontal bar chart as SVG 1.1 text: one block of bars per group (e.g. per connection
 * count), one labelled bar per series (e.g. per server) with its value written at its end, a whisker
 * from min to max when the bar stands for several repeats that differ, a linear axis from zero with
 * gridlines. A series keeps its colour in every group. Written by hand: a bar chart is a few rects and
 * texts, and a charting library would be the report's only dependency.
 */
final class SvgChart {
    // Okabe–Ito: told apart with the common colour-vision deficiencies.
    private static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#F0E442", "#999999", "#000000"};
    private static final int FONT = 13;
    private static final double CHAR = 7.4; // average advance of a 13 px sans-serif character
    private static final int BAR = 18;
    private static final int GAP = 5;
    private static final int GROUP_HEAD = 24;
    private static final int PLOT = 460;
    private static final int PAD = 12;

    private record Bar(String label, double value, double min, double max) {
    }

    private final String title;
    private final String axisLabel;
    private final DoubleFunction<String> format;
    private final Map<String, List<Bar>> groups = new LinkedHashMap<>();
    private final Map<String, String> colours = new LinkedHashMap<>();
    private List<Bar> current;

    /** {@code format} writes a value (at a bar's end and on the axis); {@code axisLabel} says its unit. */
    SvgChart(String title, String axisLabel, DoubleFunction<String> format) {
        this.title = title;
        this.axisLabel = axisLabel;
        this.format = format;
    }

    /** Starts (or continues) a group; the bars that follow belong to it. */
    SvgChart group(String name) {
        current = groups.computeIfAbsent(name, k -> new ArrayList<>());
        return this;
    }

    /** A bar of the current group; {@code min}/{@code max} NaN (or equal): no whisker. NaN values are left out. */
    SvgChart bar(String label, double value, double min, double max) {
        if (current == null) {
            group("");
        }
        if (!Double.isNaN(value)) {
            current.add(new Bar(label, value, min, max));
            colours.computeIfAbsent(label, k -> PALETTE[colours.size() % PALETTE.length]);
        }
        return this;
    }

    SvgChart bar(String label, Spread s) {
        return s.hasRange() ? bar(label, s.median(), s.min(), s.max()) : bar(label, s.median(), Double.NaN, Double.NaN);
    }

    boolean isEmpty() {
        return groups.values().stream().allMatch(List::isEmpty);
    }

    String render() {
        double top = 0;
        int longest = 4;
        for (var g : groups.entrySet()) {
            for (Bar b : g.getValue()) {
                top = Math.max(top, Double.isNaN(b.max) ? b.value : Math.max(b.value, b.max));
                longest = Math.max(longest, b.label.length());
            }
        }
        double step = niceStep(top <= 0 ? 1 : top);
        double axisMax = Math.max(step, Math.ceil(top / step) * step);
        int labelWidth = (int) Math.ceil(longest * CHAR) + 2 * PAD;
        int valueRoom = (int) Math.ceil(Math.max(6, maxValueLabel()) * CHAR) + PAD;
        int width = Math.max(labelWidth + PLOT + valueRoom + PAD,
                (int) Math.ceil(Math.max(title.length() * (FONT + 2) / (double) FONT, longestGroup()) * CHAR) + 2 * PAD);
        int y = 2 * PAD + FONT + 6; // below the title
        StringBuilder body = new StringBuilder();
        int plotTop = y;
        if (isEmpty()) {
            y += 2 * BAR;
            text(body, labelWidth + PLOT / 2.0, plotTop + BAR, "middle", "#555555", "no data");
        }
        for (var g : groups.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            if (!g.getKey().isEmpty()) {
                body.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                        PAD, y + FONT + 4, escape(g.getKey())));
                y += GROUP_HEAD;
            }
            for (Bar b : g.getValue()) {
                double w = Math.max(0, b.value) / axisMax * PLOT;
                double mid = y + BAR / 2.0;
                text(body, labelWidth - PAD / 2.0, mid + FONT * 0.35, "end", "#000000", b.label);
                body.append(String.format(Locale.ROOT, "  <rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                + "<title>%s: %s</title></rect>%n", labelWidth, y, w, BAR, colours.get(b.label),
                        escape(b.label), escape(format.apply(b.value) + whiskerText(b))));
                double end = w;
                if (!Double.isNaN(b.min) && !Double.isNaN(b.max) && b.max > b.min) {
                    double x0 = labelWidth + Math.max(0, b.min) / axisMax * PLOT;
                    double x1 = labelWidth + b.max / axisMax * PLOT;
                    body.append(String.format(Locale.ROOT, "  <path d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f %.1fV%.1f\" "
                                    + "stroke=\"#222222\" stroke-width=\"1.5\" fill=\"none\"/>%n",
                            x0, mid, x1, x0, mid - 5, mid + 5, x1, mid - 5, mid + 5));
                    end = Math.max(end, x1 - labelWidth);
                }
                text(body, labelWidth + end + 5, mid + FONT * 0.35, "start", "#000000", format.apply(b.value));
                y += BAR + GAP;
            }
            y += GAP;
        }
        int plotBottom = y;
        StringBuilder axis = new StringBuilder();
        for (int k = 0; k * step <= axisMax + step / 2; k++) {
            double t = k * step;
            double x = labelWidth + t / axisMax * PLOT;
            axis.append(String.format(Locale.ROOT, "  <line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>%n",
                    x, plotTop, x, plotBottom, t == 0 ? "#000000" : "#dddddd"));
            text(axis, x, plotBottom + FONT + 4, "middle", "#333333", format.apply(t));
        }
        int height = plotBottom + 2 * FONT + 3 * PAD;
        text(axis, labelWidth + PLOT / 2.0, plotBottom + 2 * FONT + 12, "middle", "#333333", axisLabel);

        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
                        + "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
                        + "font-size=\"%d\">%n", width, height, width, height, FONT));
        svg.append("  <title>").append(escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "  <rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n",
                width, height));
        svg.append(String.format(Locale.ROOT, "  <text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"bold\">%s</text>%n",
                PAD, PAD + FONT + 2, FONT + 2, escape(title)));
        svg.append(axis).append(body).append("</svg>\n");
        return svg.toString();
    }

    private String whiskerText(Bar b) {
        return Double.isNaN(b.min) || Double.isNaN(b.max) ? ""
                : " (" + format.apply(b.min) + "–" + format.apply(b.max) + ")";
    }

    private int longestGroup() {
        return groups.keySet().stream().mapToInt(String::length).max().orElse(0);
    }

    private int maxValueLabel() {
        int m = 0;
        for (List<Bar> g : groups.values()) {
            for (Bar b : g) {
                m = Math.max(m, format.apply(b.value).length());
            }
        }
        return m;
    }

    private static void text(StringBuilder out, double x, double y, String anchor, String colour, String s) {
        out.append(String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>%n",
                x, y, anchor, colour, escape(s)));
    }

    /** 1, 2 or 5 × a power of ten, giving four to ten ticks up to {@code top}. */
    static double niceStep(double top) {
        double raw = top / 5;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        b.append(c);
                    } // other control characters are not allowed in XML 1.0: dropped
                }
            }
        }
        return b.toString();
    }
}
