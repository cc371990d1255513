package org.mobilevpn.systemtests.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;

/**
 * The Prometheus metrics belong to the core feature: a runtime without the web feature (the bundle set a
 * {@code -Dnoweb} build assembles: the built runtime less every jar that features/web/pom.xml lists)
 * starts healthy, has no HTTP service and no Web Console, and still answers {@code /metrics}.
 */
@SystemTest(tag = "noweb", requires = {"java", "python3"})
class MetricsWithoutWebIT {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String METRICS = "http://127.0.0.1:9477/metrics";

    @Test
    void aRuntimeWithoutTheWebFeatureServesTheMetrics(SystemTestContext ctx) {
        List<String> web = webFeature();
        assertTrue(web.contains("org.apache.felix.http.jetty12") && web.contains("org.mobilevpn.webconsole"), web.toString());
        Netns netns = ctx.netns("client");
        List<Path> removed = new ArrayList<>();
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(netns, ctx.outputDir("runtime"), Map.of(),
                home -> removed.addAll(removeJars(home, web))));
        assertEquals(web.size(), removed.size(), "each jar of the web feature was in the runtime: " + removed);
        runtime.awaitHealthy(START);

        String bundles = runtime.execChecked("lb");
        assertFalse(bundles.contains("Jetty") || bundles.contains("Web Management Console"), bundles);
        assertTrue(bundles.contains("org.mobilevpn.metrics") || bundles.contains("mobilevpn metrics"), bundles);

        NamespaceHttp http = new NamespaceHttp(netns);
        NamespaceHttp.Response r = awaitAnswer(http);
        assertEquals(200, r.status(), r.toString());
        List<PrometheusTextFormat.Family> families = PrometheusTextFormat.parse(r.text());
        assertTrue(families.stream().anyMatch(f -> f.name().equals("mobilevpn_policy_manager_up")
                && f.samples().get(0).value() == 1.0), r.text());
        assertTrue(families.stream().anyMatch(f -> f.name().equals("mobilevpn_handshake_duration_seconds")
                && f.type().equals("histogram")), r.text());
        assertFalse(netns.execChecked("ss", "-ltnH").stdout().matches("(?s).*[:.]8080\\s.*"), "no HTTP service on 8080");
    }

    private static NamespaceHttp.Response awaitAnswer(NamespaceHttp http) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        NamespaceHttp.Response r = null;
        while (System.nanoTime() < deadline) {
            try {
                r = http.get(METRICS, null);
                if (r.status() == 200) {
                    return r;
                }
            } catch (RuntimeException e) {
                // the listener comes up with the metrics bundle, after vpn:health may already pass
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no answer on " + METRICS + ": " + r);
    }

    /** The artifactIds features/web/pom.xml lists: the bundles the web feature adds. */
    private static List<String> webFeature() {
        Path pom = RuntimeProcess.builtDistribution().resolve("../../../features/web/pom.xml").normalize();
        try {
            String text = Files.readString(pom);
            String dependencies = text.substring(text.indexOf("<dependencies>"), text.indexOf("</dependencies>"));
            List<String> ids = new ArrayList<>();
            Matcher m = Pattern.compile("<artifactId>([^<*]+)</artifactId>").matcher(dependencies);
            while (m.find()) {
                ids.add(m.group(1));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes bundle/N/ARTIFACT-VERSION.jar and deploy/ARTIFACT-VERSION.jar of each artifact; returns what went. */
    private static List<Path> removeJars(Path home, List<String> artifacts) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> levels = Files.newDirectoryStream(home.resolve("bundle"))) {
            List<Path> dirs = new ArrayList<>();
            levels.forEach(dirs::add);
            dirs.add(home.resolve("deploy"));
            for (Path dir : dirs) {
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                    for (Path jar : jars) {
                        String name = jar.getFileName().toString();
                        if (artifacts.stream().anyMatch(a -> name.matches(Pattern.quote(a) + "-\\d.*\\.jar"))) {
                            Files.delete(jar);
                            removed.add(jar);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }
}
