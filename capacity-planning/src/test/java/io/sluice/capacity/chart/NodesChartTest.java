package io.sluice.capacity.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.capacity.model.Calibration;
import io.sluice.capacity.model.CapacityModel;
import io.sluice.capacity.model.NodeType;
import io.sluice.capacity.model.PipelineShape;
import io.sluice.capacity.model.PlanInput;
import io.sluice.capacity.model.Workload;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class NodesChartTest {
    private static final PlanInput REALISTIC = new PlanInput(
            new Workload(1_000_000, 600, 1),
            new NodeType(4, 1, 100, 16),
            PipelineShape.realistic(),
            Calibration.DEFAULT,
            0.3,
            false);

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> seriesResources(Document svg) {
        NodeList lines = svg.getElementsByTagName("polyline");
        List<String> resources = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            assertThat(line.getAttribute("class")).isEqualTo("series");
            assertThat(line.getAttribute("points").split(" ")).hasSize(39);
            resources.add(line.getAttribute("data-resource"));
        }
        return resources;
    }

    @Test
    void theChartIsWellFormedWithOneSeriesPerResource() throws Exception {
        Document svg = parse(NodesChart.svg(REALISTIC));
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        List<String> expected = CapacityModel.plan(REALISTIC).requirements().stream()
                .map(r -> r.resource().key())
                .toList();
        assertThat(seriesResources(svg)).containsExactlyElementsOf(expected).hasSize(6);
    }

    @Test
    void theSimpleChartHasTheNetworkAndDiskSeries() throws Exception {
        PlanInput simple = PlanInput.simple(new Workload(1_000_000, 600, 1), new NodeType(4, 1, 100, 16));
        assertThat(seriesResources(parse(NodesChart.svg(simple))))
                .containsExactly("network_in", "network_out", "disk_write", "disk_read");
    }

    @Test
    void thePlannedRateIsMarkedAndTheTitleNamesTheBindingResource() throws Exception {
        Document svg = parse(NodesChart.svg(REALISTIC));
        NodeList lines = svg.getElementsByTagName("line");
        boolean planned = false;
        for (int i = 0; i < lines.getLength(); i++) {
            planned |= "planned".equals(((Element) lines.item(i)).getAttribute("class"));
        }
        assertThat(planned).isTrue();
        assertThat(svg.getDocumentElement().getTextContent())
                .contains(CapacityModel.plan(REALISTIC).nodes() + " nodes, disk write binds");
    }

    @Test
    void numbersUseDotsWhateverTheLocale() throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            Document svg = parse(NodesChart.svg(REALISTIC));
            String points = ((Element) svg.getElementsByTagName("polyline").item(0)).getAttribute("points");
            assertThat(points).matches("(\\d+\\.\\d,\\d+\\.\\d ?)+");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void stepsAreRound() {
        assertThat(NodesChart.niceStep(6, 8)).isEqualTo(1);
        assertThat(NodesChart.niceStep(36, 8)).isEqualTo(5);
        assertThat(NodesChart.niceStep(93, 8)).isEqualTo(20);
        assertThat(NodesChart.niceStep(1_900_000, 6)).isEqualTo(500_000);
    }
}
