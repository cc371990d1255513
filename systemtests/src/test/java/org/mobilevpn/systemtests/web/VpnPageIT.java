package org.mobilevpn.systemtests.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.mobilevpn.systemtests.OfficeConnection;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.HeadlessBrowser;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The VPN page of the Web Console ({@code /system/console/vpn}) in a real headless Chromium, against the
 * real runtime process in the client namespace with a tunnel to the strongSwan gateway. The browser runs
 * in that namespace ({@link HeadlessBrowser}), because the console listens on the namespace's own
 * 127.0.0.1:8080. Screenshots of every step go to
 * {@code target/system-tests/VpnPageIT/<test>/screenshots/NN-<step>.png}.
 *
 * <p>One runtime and tunnel serve all tests (a runtime start costs a minute on a shared machine); each
 * test starts from the connection CONNECTED ({@link #startConnected()}).
 */
@SystemTest(tag = "web", requires = {"java", "tun", "ping", "charon", "swanctl", "chromium", "chromedriver",
    "python3", "ss"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VpnPageIT {
    private static final String CONSOLE = "http://127.0.0.1:8080";
    private static final String PAGE = CONSOLE + "/system/console/vpn";
    private static final String JSON = PAGE + "/status.json";
    /** The Web Console login the runtime made at its first start ({@link RuntimeProcess#webConsoleLogin()}). */
    private static String login;
    /** The Prometheus listener, no login, on the runtime namespace's loopback. */
    private static final String METRICS = "http://127.0.0.1:9477/metrics";
    /**
     * Where the browser logs in: credentials in a URL make Chromium answer the console's HTTP Basic challenge
     * and cache them for the origin, as the login dialog of an operator's browser does. The page itself is
     * then opened WITHOUT credentials in its URL: a document whose URL carries credentials cannot fetch()
     * relative URLs (the Fetch standard refuses a request URL with credentials), so its refresh would fail.
     */
    private static String loginUrl() {
        return "http://" + login + "@127.0.0.1:8080/system/console/vpn/status.json";
    }
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern VIP = Pattern.compile("virtual IP\\s+(198\\.18\\.0\\.\\d+)");
    private static final Pattern DEVICE = Pattern.compile("interface\\s+(\\S+)");
    /** The VPN inventory printer's entries in the support bundle, e.g. {@code 009_VPN.txt}, {@code json/009_VPN.json}. */
    private static final Pattern VPN_ENTRY = Pattern.compile("(json/)?\\d+_VPN\\.(txt|json)");
    private static final String DETAIL = "section.vpn-detail[data-connection='office']";
    private static final Pattern TOKEN = Pattern.compile("data-token=\"([^\"]+)\"");

    private static TestNetwork net;
    private static Netns client;
    private static StrongSwanGateway gateway;
    private static RuntimeProcess runtime;
    private static NamespaceHttp http;
    private static String psk;

    @BeforeAll
    static void startTheRuntimeWithAProfile(SystemTestContext ctx) throws IOException {
        net = ctx.standardNetwork();
        client = net.client();
        psk = "web-it-psk-" + System.nanoTime();
        gateway = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(psk).build()));
        runtime = ctx.register(RuntimeProcess.start(client, ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        login = runtime.webConsoleLogin();
        OfficeConnection.writeProfile(runtime, psk);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        http = new NamespaceHttp(client);
        awaitPage();
    }

    @BeforeEach
    void startConnected() {
        if (!runtime.execChecked("vpn:status office").contains("CONNECTED")) {
            String up = runtime.execChecked("vpn:up office");
            assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());
        }
    }

    @Test
    @Order(1)
    void anOperatorSeesTheTunnelTakesItDownAndBringsItBackFromTheBrowser(SystemTestContext ctx) {
        String status = runtime.execChecked("vpn:status office");
        String vip = group(VIP, status);
        String tun = group(DEVICE, status);
        assertTrue(client.exec("ip", "link", "show", "dev", tun).ok(), tun + " exists while connected");

        HeadlessBrowser browser = ctx.register(HeadlessBrowser.start(client, ctx.outputDir("screenshots")));
        WebDriver page = browser.driver();
        logIn(page);
        awaitState(page, "CONNECTED");
        assertEquals(vip, cell(page, "virtual-ip"), "the page shows the virtual IP the runtime has");
        assertTrue(cell(page, "gateway").contains(TestNetwork.GATEWAY_IP), cell(page, "gateway"));
        browser.screenshot("connected");

        row(page).findElement(By.cssSelector("button.vpn-disconnect")).click();
        awaitState(page, "DISABLED");
        assertFalse(client.exec("ip", "link", "show", "dev", tun).ok(), "the TUN device " + tun + " is gone");
        assertFalse(cell(page, "virtual-ip").contains("198.18."), "no virtual IP once down: " + cell(page, "virtual-ip"));
        assertTrue(runtime.execChecked("vpn:status office").contains("DISABLED"));
        browser.screenshot("disconnected");

        row(page).findElement(By.cssSelector("button.vpn-connect")).click();
        awaitState(page, "CONNECTED");
        String again = runtime.execChecked("vpn:status office");
        String newVip = group(VIP, again);
        String newTun = group(DEVICE, again);
        assertEquals(newVip, cell(page, "virtual-ip"));
        assertTrue(client.exec("ip", "link", "show", "dev", newTun).ok(), "a TUN device again: " + newTun);
        OfficeConnection.assertPing(client);
        browser.screenshot("reconnected");

        // the page keeps itself current: state changes made elsewhere appear without a reload. A reload
        // would drop the marker and restart the refresh count at 0.
        JavascriptExecutor js = (JavascriptExecutor) page;
        js.executeScript("window.mvpnSamePage = 'yes';");
        int before = refreshCount(page);
        assertTrue(runtime.execChecked("vpn:down office").startsWith("office: DISABLED"));
        awaitState(page, "DISABLED");
        browser.screenshot("refreshed-disabled-from-the-shell");
        assertTrue(runtime.execChecked("vpn:up office").startsWith("office: CONNECTED"));
        awaitState(page, "CONNECTED");
        assertEquals(group(VIP, runtime.execChecked("vpn:status office")), cell(page, "virtual-ip"));
        assertTrue(refreshCount(page) >= before + 2, "refreshed " + before + " -> " + refreshCount(page));
        assertEquals("yes", js.executeScript("return window.mvpnSamePage;"), "the page was not reloaded");
        OfficeConnection.assertPing(client);
        awaitText(page, By.cssSelector(DETAIL), "Traffic in");
        new WebDriverWait(page, WAIT).ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> packets(detail(d), "in") >= 3 && packets(detail(d), "out") >= 3);
        browser.screenshot("refreshed-connected-from-the-shell");

        // the detail view shows the Child SA the gateway has, the provisioning check and the events
        // (each refresh rebuilds the detail sections and the event items: read them in one script call)
        ChildSa child = OfficeConnection.single(gateway.listSas()).child();
        awaitText(page, By.cssSelector(DETAIL), child.spiIn());
        js.executeScript("document.querySelector(arguments[0]).scrollIntoView(true);", DETAIL);
        String detailText = detail(page);
        assertTrue(detailText.contains(child.spiIn()) && detailText.contains(child.spiOut()),
                "our SPIs are the gateway's (" + child.spiIn() + ", " + child.spiOut() + "):\n" + detailText);
        browser.screenshot("detail");
        js.executeScript("document.getElementById('vpn-events').scrollIntoView(false);");
        String provisioning = (String) js.executeScript("return document.getElementById('vpn-provisioning').innerText;");
        assertTrue(provisioning.contains("Every check passed"), provisioning);
        String events = (String) js.executeScript("return document.getElementById('vpn-events').innerText;");
        assertTrue(events.contains("office DISABLED -> CONNECTING") && events.contains("office CONNECTED -> DISCONNECTING"),
                "the recent events list the connects and disconnects:\n" + events);
        browser.screenshot("provisioning-and-events");
    }

    @Test
    @Order(2)
    void nothingAnswersWithoutLogin() {
        for (String url : List.of(PAGE, JSON, PAGE + "/res/vpn.js", supportZipUrl())) {
            assertEquals(401, http.get(url, null).status(), "without login: " + url);
            assertEquals(401, http.get(url, "admin:wrong").status(), "with a wrong password: " + url);
        }
        NamespaceHttp.Response post = http.postForm(PAGE, null, Map.of("action", "disconnect", "name", "office"), Map.of());
        assertEquals(401, post.status(), post.toString());
        assertTrue(runtime.execChecked("vpn:status office").contains("CONNECTED"), "nothing changed");
        assertEquals(200, http.get(PAGE, login).status(), "with login it answers");
    }

    @Test
    @Order(3)
    void aCrossSitePostWithoutTheTokenIsRefusedAndChangesNothing(SystemTestContext ctx) {
        String tun = group(DEVICE, runtime.execChecked("vpn:status office"));
        String spi = OfficeConnection.single(gateway.listSas()).child().spiIn();
        Matcher m = TOKEN.matcher(http.get(PAGE, login).text());
        assertTrue(m.find(), "the page carries its token");
        String token = m.group(1);

        Map<String, Map<String, String>> forged = new LinkedHashMap<>();
        forged.put("no token", Map.of("action", "disconnect", "name", "office"));
        forged.put("a wrong token", Map.of("action", "disconnect", "name", "office", "token", flipped(token)));
        forged.put("an empty token", Map.of("action", "disconnect", "name", "office", "token", ""));
        for (Map.Entry<String, Map<String, String>> f : forged.entrySet()) {
            NamespaceHttp.Response r = http.postForm(PAGE, login, f.getValue(), Map.of());
            assertEquals(403, r.status(), f.getKey() + ": " + r);
        }
        // even the right token does not help a request another site's page sends
        NamespaceHttp.Response foreign = http.postForm(PAGE, login,
                Map.of("action", "disconnect", "name", "office", "token", token),
                Map.of("Origin", "http://attacker.example"));
        assertEquals(403, foreign.status(), foreign.toString());

        // a real browser, logged in to the console, opens another site's page that posts to it
        HeadlessBrowser browser = ctx.register(HeadlessBrowser.start(client, ctx.outputDir("screenshots")));
        WebDriver page = browser.driver();
        logIn(page);
        awaitState(page, "CONNECTED");
        page.get("data:text/html,<html><body><h1>cat pictures</h1><form method='post' action='" + PAGE + "'>"
                + "<input type='hidden' name='action' value='disconnect'><input type='hidden' name='name' value='office'>"
                + "</form><script>document.forms[0].submit()</script></body></html>");
        new WebDriverWait(page, WAIT).ignoring(NoSuchElementException.class)
                .until(d -> d.getCurrentUrl().startsWith(PAGE));
        String answer = page.findElement(By.tagName("body")).getText();
        browser.screenshot("forged-post-answer");
        // 403, not 401: the browser did send the console login along, the action itself was refused
        assertTrue(answer.contains("\"status\":403"), "the console refused it: " + answer);

        String after = runtime.execChecked("vpn:status office");
        assertTrue(after.contains("CONNECTED"), after);
        assertTrue(client.exec("ip", "link", "show", "dev", tun).ok(), "the TUN device is still there");
        assertEquals(spi, OfficeConnection.single(gateway.listSas()).child().spiIn(), "the same Child SA: nothing was renegotiated");

        // the page's own form (token, same origin) is what works: the refusals above are not a broken endpoint
        NamespaceHttp.Response own = http.postForm(PAGE, login,
                Map.of("action", "disconnect", "name", "office", "token", token), Map.of("Origin", CONSOLE));
        assertEquals(303, own.status(), own.toString());
        assertTrue(runtime.execChecked("vpn:status office").contains("DISABLED"));
    }

    @Test
    @Order(4)
    void thePskAppearsNowhereOnThePageInItsJsonOrInItsSupportBundleEntry(SystemTestContext ctx) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        NamespaceHttp.Response pageAnswer = http.get(PAGE, login);
        assertEquals(200, pageAnswer.status());
        texts.put("page HTML", pageAnswer.text());
        NamespaceHttp.Response json = http.get(JSON, login);
        assertEquals(200, json.status());
        assertTrue(json.text().contains("\"office\""), "the JSON describes the connection: " + json.text());
        texts.put("status.json", json.text());

        HeadlessBrowser browser = ctx.register(HeadlessBrowser.start(client, ctx.outputDir("screenshots")));
        logIn(browser.driver());
        awaitState(browser.driver(), "CONNECTED");
        int count = refreshCount(browser.driver());
        new WebDriverWait(browser.driver(), WAIT).until(d -> refreshCount(d) > count);
        texts.put("page DOM after a refresh", browser.driver().getPageSource());

        Map<String, String> vpnEntries = new LinkedHashMap<>(supportBundle(ctx));
        vpnEntries.keySet().removeIf(name -> !VPN_ENTRY.matcher(name).matches());
        assertFalse(vpnEntries.isEmpty(), "the support bundle has the VPN printer's entries");
        assertTrue(vpnEntries.values().stream().allMatch(t -> t.contains("office") && t.contains("CONNECTED")),
                "the VPN entries show the connection and its state");
        vpnEntries.forEach((name, text) -> texts.put("support bundle entry " + name, text));
        assertEquals(List.of(), leaks(texts), "the PSK leaks");
    }

    /**
     * Every entry of the Web Console's full support bundle, not only the VPN printer's: the profile's
     * configuration reaches other printers too (Configurations, Services, Components ...). The Felix DS
     * plugin's "Declarative Services Components" text entry prints component properties unmasked, which
     * is why the csp receives profiles through a ManagedServiceFactory and not as DS component properties.
     */
    @Test
    @Order(5)
    void everySupportBundleEntryIsFreeOfThePsk(SystemTestContext ctx) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, String> entries = supportBundle(ctx);
        entries.forEach((name, text) -> texts.put("support bundle entry " + name, text));
        assertTrue(entries.keySet().stream().anyMatch(n -> n.matches("\\d+_Declarative_Services_Components\\.txt")),
                "the components entry is part of the bundle: " + entries.keySet());
        assertEquals(List.of(), leaks(texts), "the PSK leaks");
    }

    @Test
    @Order(6)
    void theMetricsAreValidPrometheusTextAndMatchTheGateway() {
        OfficeConnection.assertPing(client);
        ChildSa child = OfficeConnection.single(gateway.listSas()).child();
        NamespaceHttp.Response r = http.get(METRICS, null);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.header("Content-Type").matches("text/plain;\\s*version=0\\.0\\.4(;.*)?"), r.header("Content-Type"));
        String text = r.text();
        List<PrometheusTextFormat.Family> families;
        try {
            families = PrometheusTextFormat.parse(text);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("not Prometheus text 0.0.4: " + e.getMessage() + "\n" + text, e);
        }
        for (PrometheusTextFormat.Family f : families) {
            assertTrue(f.name().startsWith("mobilevpn_"), f.name());
            assertTrue(f.help() != null && !f.type().equals("untyped"), f.name() + " has HELP and TYPE");
        }
        assertEquals(1.0, value(families, "mobilevpn_connections", Map.of("state", "CONNECTED")), text);
        assertEquals(1.0, value(families, "mobilevpn_connection_state", Map.of("connection", "office", "state", "CONNECTED")));
        assertTrue(value(families, "mobilevpn_handshakes_total", Map.of("connection", "office")) >= 1, text);
        PrometheusTextFormat.Family handshakes = families.stream()
                .filter(f -> f.name().equals("mobilevpn_handshake_duration_seconds")).findFirst().orElseThrow();
        assertEquals("histogram", handshakes.type(), text);
        assertTrue(handshakes.samples().stream().anyMatch(s -> s.name().equals("mobilevpn_handshake_duration_seconds_count")
                && s.labels().equals(Map.of("connection", "office")) && s.value() >= 1), "the handshake is in the histogram\n" + text);
        // the counters of the SAs the gateway lists: our inbound SPI is its outbound one
        assertTrue(value(families, "mobilevpn_sa_packets_total",
                Map.of("connection", "office", "direction", "in", "spi", child.spiOut())) >= 3, text);
        assertTrue(value(families, "mobilevpn_sa_packets_total",
                Map.of("connection", "office", "direction", "out", "spi", child.spiIn())) >= 3, text);
        assertFalse(text.contains(psk), "the PSK is not in the metrics");
    }

    @Test
    @Order(7)
    void theConsoleAndTheMetricsListenOnTheNamespacesLoopbackOnly() {
        CommandResult ss = client.execChecked("ss", "-ltnH");
        for (String port : List.of("8080", "9477")) {
            List<String> listeners = ss.lines().stream().filter(l -> l.matches(".*[:.]" + port + "\\s.*")).toList();
            assertFalse(listeners.isEmpty(), "something listens on " + port + ":\n" + ss.stdout());
            for (String line : listeners) {
                // the local address column: 127.0.0.1, or the IPv4-mapped form of a Java dual-stack socket
                assertTrue(line.matches("\\S+\\s+\\d+\\s+\\d+\\s+(127\\.0\\.0\\.1|\\[::ffff:127\\.0\\.0\\.1\\]):"
                        + port + "\\s.*"), "bound to loopback only: " + line);
            }
        }
    }

    // --- helpers

    private static void awaitPage() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        NamespaceHttp.Response last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http.get(PAGE, login);
                if (last.status() == 200 && last.text().contains("vpn-connections")) {
                    return;
                }
            } catch (AssertionError notYet) {
                // the HTTP service is still starting
            }
            sleep(500);
        }
        throw new AssertionError("the VPN page never answered: " + last + "\nruntime log:\n" + runtime.log());
    }

    /** The full support bundle, as the Status page's "Download Full Zip" button names it. */
    private static String supportZipUrl() {
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return CONSOLE + "/system/console/config/configuration-status-" + stamp + ".zip";
    }

    /** Logs in (see {@link #loginUrl()}) and opens the VPN page. */
    private static void logIn(WebDriver page) {
        page.get(loginUrl());
        assertTrue(page.getPageSource().contains("\"connections\""), "logged in: " + page.getPageSource());
        page.get(PAGE);
    }

    private static WebElement row(WebDriver page) {
        return page.findElement(By.cssSelector("table#vpn-connections tr[data-connection='office']"));
    }

    private static String cell(WebDriver page, String cls) {
        return row(page).findElement(By.cssSelector("td." + cls)).getText().strip();
    }

    /** The detail view's text, read in one script call (a refresh replaces the section). */
    private static String detail(WebDriver page) {
        Object text = ((JavascriptExecutor) page).executeScript(
                "var s = document.querySelector(arguments[0]); return s ? s.innerText : '';", DETAIL);
        return String.valueOf(text);
    }

    /** The packet count of the detail view's "Traffic in|out" row, e.g. {@code Traffic in 252 B / 3 packets}. */
    private static long packets(String detail, String direction) {
        Matcher m = Pattern.compile("Traffic " + direction + "\\s+\\S+ \\S+ / (\\d+) packets").matcher(detail);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static int refreshCount(WebDriver page) {
        return Integer.parseInt(page.findElement(By.id("vpn-refreshed")).getAttribute("data-refresh-count"));
    }

    private static void awaitState(WebDriver page, String state) {
        try {
            new WebDriverWait(page, WAIT).ignoring(NoSuchElementException.class)
                    .ignoring(StaleElementReferenceException.class)
                    .until(d -> state.equals(cell(d, "state")));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the row never showed " + state + "; page text:\n"
                    + page.findElement(By.tagName("body")).getText() + "\nvpn:status office:\n"
                    + runtime.exec("vpn:status office").output(), e);
        }
    }

    private static void awaitText(WebDriver page, By by, String text) {
        new WebDriverWait(page, WAIT).ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(by).getText().contains(text));
    }

    /** Downloads the full support bundle (kept in the test's output) and returns its entries as text. */
    private static Map<String, String> supportBundle(SystemTestContext ctx) throws IOException {
        NamespaceHttp.Response zip = http.get(supportZipUrl(), login);
        assertEquals(200, zip.status(), zip.toString());
        Files.write(ctx.outputDir("support").resolve("configuration-status.zip"), zip.body());
        Map<String, String> entries = unzip(zip.body());
        assertTrue(entries.size() > 3, "a support bundle with the console's printers: " + entries.keySet());
        return entries;
    }

    /** Where the PSK occurs, with some context (the PSK itself replaced), for the failure message. */
    private static List<String> leaks(Map<String, String> texts) {
        List<String> leaks = new ArrayList<>();
        texts.forEach((where, text) -> {
            if (text.contains(psk)) {
                leaks.add(where + ": ..." + around(text, psk) + "...");
            }
        });
        return leaks;
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    /** The value of the one sample of {@code family} with exactly these labels. */
    private static double value(List<PrometheusTextFormat.Family> families, String family, Map<String, String> labels) {
        List<Double> values = families.stream().filter(f -> f.name().equals(family))
                .flatMap(f -> f.samples().stream())
                .filter(sample -> sample.labels().equals(labels)).map(PrometheusTextFormat.Sample::value).toList();
        assertEquals(1, values.size(), family + labels + " in " + families.stream()
                .filter(f -> f.name().equals(family)).toList());
        return values.get(0);
    }

    private static String around(String text, String needle) {
        int i = text.indexOf(needle);
        return text.substring(Math.max(0, i - 200), Math.min(text.length(), i + needle.length() + 50))
                .replace(needle, "<PSK>");
    }

    /** The token with its first character changed (still URL-safe base64). */
    private static String flipped(String token) {
        return (token.charAt(0) == 'A' ? 'B' : 'A') + token.substring(1);
    }

    private static String group(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in:\n" + text);
        return m.group(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
