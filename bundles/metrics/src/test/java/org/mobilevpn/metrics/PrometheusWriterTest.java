package org.mobilevpn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusWriterTest {

    @Test
    void labelValuesAreEscapedAndComeBackUnchanged() {
        String nasty = "a\"b\\c\nd} e=\"f\",g";
        String text = new PrometheusWriter().family("mobilevpn_test_total", "counter", "help with \\ and\nnewline")
                .sample(3, "connection", nasty, "spi", "c1a2b3d4").text();

        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(text);

        assertEquals(1, samples.size());
        assertEquals(Map.of("connection", nasty, "spi", "c1a2b3d4"), samples.get(0).labels());
        assertEquals(3.0, samples.get(0).value());
        assertTrue(text.startsWith("# HELP mobilevpn_test_total help with \\\\ and\\nnewline\n# TYPE mobilevpn_test_total counter\n"), text);
    }

    @Test
    void numbersAreWrittenAsTheFormatSpellsThem() {
        assertEquals("42", PrometheusWriter.number(42));
        assertEquals("0.042", PrometheusWriter.number(0.042));
        assertEquals("NaN", PrometheusWriter.number(Double.NaN));
        assertEquals("+Inf", PrometheusWriter.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", PrometheusWriter.number(Double.NEGATIVE_INFINITY));
        assertEquals("1.0E20", PrometheusWriter.number(1e20));
        String text = new PrometheusWriter().family("g", "gauge", "h").sample(Double.NaN, "a", "1").sample(1e-9, "a", "2")
                .sample(Double.NEGATIVE_INFINITY, "a", "3").text();
        assertEquals(3, ExpositionFormatChecker.check(text).size());
    }

    @Test
    void theSameSeriesTwiceIsAddedUpNotRepeated() {
        String text = new PrometheusWriter().family("c_total", "counter", "h").sample(2, "spi", "1").sample(3, "spi", "1").text();
        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(text);
        assertEquals(1, samples.size());
        assertEquals(5.0, samples.get(0).value());
    }

    @Test
    void namesOutsideTheGrammarAreRefused() {
        PrometheusWriter w = new PrometheusWriter();
        assertThrows(IllegalArgumentException.class, () -> w.family("mobilevpn-bad", "gauge", "h"));
        assertThrows(IllegalArgumentException.class, () -> w.family("1bad", "gauge", "h"));
        assertThrows(IllegalArgumentException.class, () -> w.family("ok", "summary", "h"));
        w.family("ok", "gauge", "h");
        assertThrows(IllegalArgumentException.class, () -> w.sample(1, "le", "1"), "le belongs to histogram buckets");
        assertThrows(IllegalArgumentException.class, () -> w.sample(1, "bad-label", "x"));
        assertThrows(IllegalArgumentException.class, () -> w.sample(1, "__reserved", "x"));
        assertThrows(IllegalArgumentException.class, () -> w.sample(1, "odd"));
    }

    @Test
    void aHistogramIsCumulativeBucketsThenSumAndCountUnderOneFamily() {
        String text = new PrometheusWriter().family("d_seconds", "histogram", "h")
                .histogram(new double[] {0.001, 0.5, 30}, new long[] {0, 2, 3}, 4, 41.25, "connection", "office").text();
        assertEquals("# HELP d_seconds h\n# TYPE d_seconds histogram\n"
                + "d_seconds_bucket{connection=\"office\",le=\"0.001\"} 0\n"
                + "d_seconds_bucket{connection=\"office\",le=\"0.5\"} 2\n"
                + "d_seconds_bucket{connection=\"office\",le=\"30\"} 3\n"
                + "d_seconds_bucket{connection=\"office\",le=\"+Inf\"} 4\n"
                + "d_seconds_sum{connection=\"office\"} 41.25\n"
                + "d_seconds_count{connection=\"office\"} 4\n", text);
        assertEquals(6, ExpositionFormatChecker.check(text).size());
        assertThrows(IllegalStateException.class, () -> new PrometheusWriter().family("d", "histogram", "h").sample(1));
    }

    /** The checker must be able to fail, or the tests that use it prove nothing. */
    @Test
    void theCheckerRefusesBrokenExpositions() {
        String ok = "# HELP a h\n# TYPE a gauge\na{x=\"1\"} 1\n";
        ExpositionFormatChecker.check(ok);
        for (String broken : List.of(
                "# TYPE a gauge\na 1\n",                                   // no HELP
                "# HELP a h\na 1\n",                                       // no TYPE
                "a 1\n# HELP a h\n# TYPE a gauge\n",                       // metadata after the sample
                "# HELP a h\n# TYPE a gauge\na{x=\"1\"\"} 1\n",            // unescaped quote
                "# HELP a h\n# TYPE a gauge\na{x=\"a\\b\"} 1\n",           // bad escape
                "# HELP a h\n# TYPE a gauge\na{x=\"1\"} one\n",            // not a number
                "# HELP a h\n# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", // duplicate series
                "# HELP a h\n# TYPE a gauge\na 1\n# HELP b h\n# TYPE b gauge\nb 1\na{x=\"2\"} 1\n", // not contiguous
                "# HELP a h\n# TYPE a counter\na -1\n",                    // negative counter
                "# HELP a h\n# TYPE a gauge\na{x-y=\"1\"} 1\n",            // bad label name
                "# HELP a h\n# TYPE a gauge\na 1")) {                      // no final newline
            assertThrows(AssertionError.class, () -> ExpositionFormatChecker.check(broken), broken);
        }
    }
}
