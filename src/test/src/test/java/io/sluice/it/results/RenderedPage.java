package io.sluice.it.results;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The elements of a dumped results page that carry data attributes (the page gives every number one), with their
 * attributes and text: enough to read the numbers without an HTML parser, since the page builds these elements itself.
 */
final class RenderedPage {
    private static final Pattern ELEMENT =
            Pattern.compile("<(td|tr|p|span|b|div|section)(\\s[^>]*\\bdata-[^>]*)>([^<]*)");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z0-9_-]+)=\"([^\"]*)\"");

    /** One element: its attributes (HTML entities in values decoded) and its own text. */
    record Element(String tag, Map<String, String> attributes, String text) {
        String attr(String name) {
            return attributes.get(name);
        }
    }

    final String html;
    final List<Element> elements = new ArrayList<>();

    RenderedPage(String html) {
        this.html = html;
        Matcher m = ELEMENT.matcher(html);
        while (m.find()) {
            Map<String, String> attributes = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attributes.put(a.group(1), unescape(a.group(2)));
            }
            elements.add(new Element(m.group(1), attributes, unescape(m.group(3))));
        }
    }

    Optional<Element> byId(String id) {
        return elements.stream().filter(e -> id.equals(e.attr("id"))).findFirst();
    }

    /** The cells of one field ({@code data-field}) by variation ({@code data-variation}). */
    Map<String, Element> field(String field) {
        Map<String, Element> out = new HashMap<>();
        elements.stream()
                .filter(e -> field.equals(e.attr("data-field")) && e.attr("data-variation") != null)
                .forEach(e -> out.put(e.attr("data-variation"), e));
        return out;
    }

    /** The rows of the top experiments, in page order. */
    List<Element> topRows() {
        return elements.stream()
                .filter(e -> e.tag().equals("tr") && e.attr("data-rank") != null)
                .toList();
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
    }
}
