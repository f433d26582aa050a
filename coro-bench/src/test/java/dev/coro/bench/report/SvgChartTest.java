package dev.coro.bench.report;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart is well-formed SVG 1.1 (the JDK's XML parser reads it) with one bar per value and its whiskers. */
class SvgChartTest {
    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void wellFormedWithBarsLabelsAndWhiskers() throws Exception {
        SvgChart c = new SvgChart("Echo <throughput> & more", "messages/s", Fmt::rate);
        c.group("1,000 connections").bar("coro-native-nio", Spread.of(40_000, 42_000))
                .bar("netty \"nio\" & <co>", Spread.of(50_000))
                .bar("skipped", Double.NaN, Double.NaN, Double.NaN);
        c.group("10,000 connections").bar("coro-native-nio", 30_000, 20_000, 90_000);
        Document d = parse(c.render());
        Element svg = d.getDocumentElement();
        assertEquals("svg", svg.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", svg.getNamespaceURI());
        assertEquals("1.1", svg.getAttribute("version"));
        String[] box = svg.getAttribute("viewBox").split(" ");
        assertEquals(4, box.length);
        assertEquals(svg.getAttribute("width"), box[2]);
        assertEquals("Echo <throughput> & more", d.getElementsByTagNameNS("*", "title").item(0).getTextContent());
        // the background and three bars
        assertEquals(4, d.getElementsByTagNameNS("*", "rect").getLength());
        // whiskers: for the two bars with a range
        assertEquals(2, d.getElementsByTagNameNS("*", "path").getLength());
        List<String> texts = texts(d);
        assertTrue(texts.contains("netty \"nio\" & <co>"), texts.toString());
        assertTrue(texts.contains("41.0k"), texts.toString()); // the median of 40k and 42k
        assertTrue(texts.contains("1,000 connections"), texts.toString());
        assertTrue(texts.contains("messages/s"), texts.toString());
        // the axis reaches past the largest whisker
        double widest = 0;
        NodeList rects = d.getElementsByTagNameNS("*", "rect");
        for (int i = 1; i < rects.getLength(); i++) {
            widest = Math.max(widest, Double.parseDouble(((Element) rects.item(i)).getAttribute("width")));
        }
        assertTrue(widest <= 460 * 50_000 / 90_000.0, "the widest bar (50k) scales to an axis at or beyond 90k: " + widest);
    }

    @Test
    void anEmptyChartIsStillAValidDocument() throws Exception {
        Document d = parse(new SvgChart("nothing", "units", Fmt::num).render());
        assertTrue(texts(d).contains("no data"));
        assertTrue(new SvgChart("x", "y", Fmt::num).group("g").bar("a", Double.NaN, 0, 0).isEmpty());
    }

    @Test
    void niceSteps() {
        assertEquals(20_000, SvgChart.niceStep(87_900));
        assertEquals(0.5, SvgChart.niceStep(2.2), 1e-12);
        assertEquals(1, SvgChart.niceStep(5), 1e-12);
        assertEquals("a&amp;b&lt;c&gt;&quot;&apos;", SvgChart.escape("a&b<c>\"'\u0001"));
    }

    private static List<String> texts(Document d) {
        List<String> out = new ArrayList<>();
        NodeList ts = d.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < ts.getLength(); i++) {
            out.add(ts.item(i).getTextContent());
        }
        return out;
    }
}
