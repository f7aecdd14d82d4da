package io.herdcat.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test parser accepts the text format and refuses what Prometheus would refuse. */
class PrometheusTextTest {
    private static final String VALID = """
            # HELP requests_total Requests, by "status"\\nclass
            # TYPE requests_total counter
            requests_total{status="2xx",path="/a\\\\b\\"c\\n"} 3.0
            requests_total{status="5xx"} 1 1700000000000
            # TYPE up gauge
            up NaN
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="1.0"} 2
            latency_seconds_bucket{le="+Inf"} 2
            latency_seconds_count 2
            latency_seconds_sum 0.75
            """;

    @Test
    void readsFamiliesLabelsAndValues() {
        PrometheusText text = PrometheusText.parse(VALID);
        assertEquals("counter", text.family("requests_total").type());
        assertEquals("Requests, by \"status\"\nclass", text.family("requests_total").help());
        assertEquals(3.0, text.value("requests_total", Map.of("status", "2xx", "path", "/a\\b\"c\n")));
        assertEquals(4.0, text.sum("requests_total"));
        assertTrue(Double.isNaN(text.value("up")));
        assertEquals(2.0, text.value("latency_seconds_count"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "undeclared 1\n",
        "# TYPE a gauge\na 1",
        "# TYPE a gauge\n1a 1\n",
        "# TYPE a gauge\na{1x=\"v\"} 1\n",
        "# TYPE a gauge\na{x=\"v\\t\"} 1\n",
        "# TYPE a gauge\na{x=v} 1\n",
        "# TYPE a gauge\na{x=\"v\",x=\"w\"} 1\n",
        "# TYPE a gauge\na one\n",
        "# TYPE a gauge\na 1 2 3\n",
        "# TYPE a gauge\na 1\na 2\n",
        "# TYPE a gauge\n# TYPE a gauge\n",
        "# TYPE a meter\n",
        "# HELP a help\n",
        "# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"y\"} 1\n",
        "a 1\n# TYPE a gauge\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket 1\n",
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n",
    })
    void refusesWhatIsNotTheFormat(String text) {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text), text);
    }
}
