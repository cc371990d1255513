package org.mobilevpn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;
import org.mobilevpn.testsupport.TestLogger;
import org.osgi.service.event.Event;

/** The metrics listener over real HTTP on the loopback interface (ephemeral ports only). */
class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final MetricsEndpoint endpoint = new MetricsEndpoint(Clock.fixed(Statuses.T0, ZoneOffset.UTC));
    private final TestLogger log = new TestLogger();

    @BeforeEach
    void logger() {
        endpoint.logger = log;
    }

    @AfterEach
    void stop() {
        endpoint.deactivate();
    }

    private static MetricsEndpoint.Config config(String address, int port, boolean enabled) {
        return new MetricsEndpoint.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MetricsEndpoint.Config.class;
            }

            @Override
            public String address() {
                return address;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }
        };
    }

    private HttpResponse<String> request(InetSocketAddress at, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getMetricsAnswersTheExpositionFormatOnLoopback() throws Exception {
        FakeVpnManager manager = new FakeVpnManager();
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(1, 2, 300, 400, Statuses.T0.plusSeconds(9))));
        endpoint.manager = manager;
        endpoint.activate(config("127.0.0.1", 0, true));
        InetSocketAddress at = endpoint.address();
        assertTrue(at.getAddress().isLoopbackAddress());

        HttpResponse<String> response = request(at, "GET", "/metrics");

        assertEquals(200, response.statusCode());
        assertEquals(PrometheusWriter.CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(response.body());
        assertTrue(samples.contains(new ExpositionFormatChecker.Sample("mobilevpn_sa_bytes_total",
                Map.of("connection", "office", "spi", "00000001", "direction", "in"), 300.0)));
    }

    @Test
    void onlyGetAndHeadOfMetricsAreServed() throws Exception {
        endpoint.activate(config("127.0.0.1", 0, true));
        InetSocketAddress at = endpoint.address();
        assertEquals(404, request(at, "GET", "/").statusCode());
        assertEquals(404, request(at, "GET", "/metrics/x").statusCode());
        assertEquals(405, request(at, "POST", "/metrics").statusCode());
        HttpResponse<String> head = request(at, "HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void deactivateClosesTheListener() throws Exception {
        endpoint.activate(config("127.0.0.1", 0, true));
        InetSocketAddress at = endpoint.address();
        endpoint.deactivate();
        assertNull(endpoint.address());
        assertThrows(ConnectException.class, () -> request(at, "GET", "/metrics"));
    }

    @Test
    void disabledMeansNoListener() {
        endpoint.activate(config("127.0.0.1", 0, false));
        assertNull(endpoint.address());
    }

    @Test
    void aTakenPortLeavesTheComponentRunningWithoutListener() throws IOException {
        try (MetricsServer other = new MetricsServer(new InetSocketAddress("127.0.0.1", 0), () -> "")) {
            endpoint.activate(config("127.0.0.1", other.address().getPort(), true));
            assertNull(endpoint.address());
            assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("ERROR Prometheus metrics not served: cannot listen on")),
                    log.lines.toString());
            assertNotNull(endpoint.text(), "the metrics themselves still work");
        }
    }

    @Test
    void eachConnectedEventPutsThatHandshakeIntoTheHistogramOnce() {
        FakeVpnManager manager = new FakeVpnManager();
        endpoint.manager = manager;
        ConnectionStatus first = Statuses.connected("office", Statuses.T0).toBuilder().handshakes(1)
                .handshakeDuration(Duration.ofMillis(4)).build();
        manager.statuses = List.of(first);
        endpoint.handleEvent(connected("office"));
        endpoint.handleEvent(connected("office")); // the same handshake told twice counts once
        manager.statuses = List.of(first.toBuilder().handshakes(2).handshakeDuration(Duration.ofMillis(700)).build());
        endpoint.handleEvent(connected("office"));

        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(endpoint.text());
        assertEquals(2.0, value(samples, "mobilevpn_handshake_duration_seconds_count", Map.of("connection", "office")));
        assertEquals(0.704, value(samples, "mobilevpn_handshake_duration_seconds_sum", Map.of("connection", "office")), 1e-9);
        assertEquals(0.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "0.0025")));
        assertEquals(1.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "0.005")));
        assertEquals(1.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "0.5")));
        assertEquals(2.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "1")));
        assertEquals(2.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "+Inf")));
    }

    @Test
    void aHandshakeWithoutAnEventIsFoundAtTheNextScrape() {
        FakeVpnManager manager = new FakeVpnManager();
        endpoint.manager = manager;
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0).toBuilder().handshakes(3)
                .handshakeDuration(Duration.ofSeconds(12)).build());
        List<ExpositionFormatChecker.Sample> samples = ExpositionFormatChecker.check(endpoint.text());
        assertEquals(1.0, value(samples, "mobilevpn_handshake_duration_seconds_count", Map.of("connection", "office")));
        assertEquals(0.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "10")));
        assertEquals(1.0, value(samples, "mobilevpn_handshake_duration_seconds_bucket", Map.of("connection", "office", "le", "30")));
        assertEquals(samples, ExpositionFormatChecker.check(endpoint.text()), "a second scrape of the same state changes nothing");
    }

    private static Event connected(String name) {
        return new Event(VpnManager.TOPIC_PREFIX + "CONNECTED", Map.of(VpnManager.EVENT_NAME, name));
    }

    private static double value(List<ExpositionFormatChecker.Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples)).value();
    }
}
