package org.mobilevpn.systemtests.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exposition-format checker accepts the documentation's own example and rejects each kind of violation. */
class PrometheusTextFormatTest {

    /** The example from the Prometheus documentation ("Exposition formats", text format). */
    private static final String DOC_EXAMPLE = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000

            # Escaping in label values:
            msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

            # Minimalistic line:
            metric_without_timestamp_and_labels 12.47

            # A weird metric from before the epoch:
            something_weird{problem="division by zero"} +Inf -3982045

            # A histogram, which has a pretty complex representation in the text format:
            # HELP http_request_duration_seconds A histogram of the request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="0.1"} 33444
            http_request_duration_seconds_bucket{le="0.2"} 100392
            http_request_duration_seconds_bucket{le="0.5"} 129389
            http_request_duration_seconds_bucket{le="1"} 133988
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320

            # Finally a summary, which has a complex representation, too:
            # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.01"} 3102
            rpc_duration_seconds{quantile="0.05"} 3272
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds{quantile="0.9"} 9001
            rpc_duration_seconds{quantile="0.99"} 76656
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            """;

    @Test
    void theDocumentationExampleParses() {
        List<PrometheusTextFormat.Family> families = PrometheusTextFormat.parse(DOC_EXAMPLE);
        assertEquals(List.of("http_requests_total", "msdos_file_access_time_seconds",
                "metric_without_timestamp_and_labels", "something_weird", "http_request_duration_seconds",
                "rpc_duration_seconds"), families.stream().map(PrometheusTextFormat.Family::name).toList());
        PrometheusTextFormat.Family msdos = families.get(1);
        assertEquals(Map.of("path", "C:\\DIR\\FILE.TXT", "error", "Cannot find file:\n\"FILE.TXT\""),
                msdos.samples().get(0).labels());
        assertEquals("histogram", families.get(4).type());
        assertEquals(8, families.get(4).samples().size());
        assertTrue(Double.isInfinite(families.get(3).samples().get(0).value()));
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("no_newline_at_end 1", "does not end with"),
                Arguments.of("1bad_name 1\n", "invalid metric name"),
                Arguments.of("bad-name 1\n", "invalid metric name"),
                Arguments.of("m{1a=\"x\"} 1\n", "invalid or reserved label name"),
                Arguments.of("m{__reserved=\"x\"} 1\n", "invalid or reserved label name"),
                Arguments.of("m{a=x} 1\n", "double quotes"),
                Arguments.of("m{a=\"x\\t\"} 1\n", "invalid escape"),
                Arguments.of("m{a=\"unterminated} 1\n", "unterminated label value"),
                Arguments.of("m{a=\"x\" b=\"y\"} 1\n", "expected ',' or '}'"),
                Arguments.of("m{a=\"x\",a=\"y\"} 1\n", "label a twice"),
                Arguments.of("m 1.2.3\n", "must be a float"),
                Arguments.of("m 0x10\n", "must be a float"),
                Arguments.of("m 1d\n", "must be a float"),
                Arguments.of("m infinity\n", "must be a float"),
                Arguments.of("m 1 1.5\n", "timestamp must be an integer"),
                Arguments.of("m 1 2 3\n", "must be a float"),
                Arguments.of("m{a=\"x\"}1\n", "no blank"),
                Arguments.of("m\n", "no blank"),
                Arguments.of("m 1\nm 2\n", "appears twice"),
                Arguments.of("a 1\nb 1\na{x=\"y\"} 1\n", "not contiguous"),
                Arguments.of("# TYPE m counter\n# TYPE m counter\nm 1\n", "second TYPE"),
                Arguments.of("# HELP m one\n# HELP m two\nm 1\n", "second HELP"),
                Arguments.of("# TYPE m countr\nm 1\n", "must be one of"),
                Arguments.of("m 1\n# TYPE m counter\n", "after its first sample"),
                Arguments.of("# HELP m bad \\t escape\nm 1\n", "invalid escape \\t in HELP"),
                Arguments.of("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", "no le=\"+Inf\" bucket"),
                Arguments.of("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", "not cumulative"),
                Arguments.of("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n", "_count 1.0 != +Inf bucket 2.0"),
                Arguments.of("# TYPE h histogram\nh_bucket 2\nh_sum 1\nh_count 2\n", "without label le"),
                Arguments.of("# TYPE s summary\ns 1\ns_sum 1\ns_count 1\n", "without label quantile"),
                Arguments.of("m 1\r\n", "carriage return"));
    }

    @ParameterizedTest
    @MethodSource("violations")
    void violationsAreRejectedForTheirReason(String exposition, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusTextFormat.parse(exposition));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "', got: " + e.getMessage());
    }

    @Test
    void aViolationNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusTextFormat.parse("# TYPE a gauge\na 1\nb{x=\"\\q\"} 2\n"));
        assertTrue(e.getMessage().startsWith("line 3: "), e.getMessage());
    }

    @Test
    void trailingCommaInLabelsAndSpecialValuesAreValid() {
        List<PrometheusTextFormat.Family> f = PrometheusTextFormat.parse("m{a=\"1\",} NaN\nn -Inf\no +1.5e-3 -12\n");
        assertEquals(3, f.size());
        assertTrue(Double.isNaN(f.get(0).samples().get(0).value()));
    }
}
