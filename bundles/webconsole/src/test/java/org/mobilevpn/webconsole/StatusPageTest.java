package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionEvent;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;

class StatusPageTest {
    private static final String EVIL = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";

    private final FakeVpnManager manager = new FakeVpnManager();
    private final StatusModelBuilder builder = new StatusModelBuilder(new ThroughputMeter(Duration.ofSeconds(1)));

    private static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void everyHookOfThePageIsThereForEachConnection() {
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0.plusSeconds(5),
                Statuses.childSa(0xc1a2b3d4, 0xabcd, 100, 200, Statuses.T0.plusSeconds(600))), Statuses.disabled("home"));
        List<ConnectionEvent> events = List.of(new ConnectionEvent(Statuses.T0, VpnManager.TOPIC_PREFIX + "CONNECTED", "office",
                ConnectionState.CONNECTED, ConnectionState.CONNECTING, VpnManager.REASON_ESTABLISHED, ""));

        String html = StatusPage.render(builder.build(Statuses.T0.plusSeconds(5), manager, null, events),
                "/system/console/vpn", "TOKEN", 3000, "v1");

        assertEquals(1, count(html, "<table id=\"vpn-connections\""));
        for (String name : List.of("office", "home")) {
            assertEquals(1, count(html, "<tr data-connection=\"" + name + "\">"), name);
            assertEquals(1, count(html, "<section class=\"vpn-detail\" data-connection=\"" + name + "\">"), name);
        }
        for (String cls : ConnectionCells.CLASSES) {
            assertEquals(2, count(html, "<td class=\"" + cls + "\">"), cls);
        }
        assertEquals(2, count(html, "<button type=\"submit\" class=\"vpn-connect\">"));
        assertEquals(2, count(html, "<button type=\"submit\" class=\"vpn-disconnect\">"));
        assertEquals(4, count(html, "<input type=\"hidden\" name=\"token\" value=\"TOKEN\">"));
        assertEquals(4, count(html, "<form class=\"vpn-action\" method=\"post\" action=\"/system/console/vpn\">"));
        assertTrue(html.contains("<span id=\"vpn-refreshed\" data-refresh-count=\"0\">"));
        assertTrue(html.contains("<section id=\"vpn-provisioning\">"));
        Matcher eventList = Pattern.compile("<ol id=\"vpn-events\">(.*?)</ol>").matcher(html);
        assertTrue(eventList.find());
        assertEquals(1, count(eventList.group(1), "<li>"));
        assertTrue(html.contains("<td class=\"state\">CONNECTED</td>"));
        assertTrue(html.contains("<td class=\"virtual-ip\">198.18.0.5</td>"));
        assertTrue(html.contains("<td class=\"last-error\">the gateway did not answer: no answer from 198.51.100.1"));
    }

    @Test
    void anInvalidProfileIsShownWithItsProblemsOnThePageAndInTheJson() throws java.io.IOException {
        ProfileProblem problem = new ProfileProblem("broken", "remote_addrs", "'300.1.1.1' is not an IPv4 address " + EVIL);
        ProfileRegistry registry = new ProfileRegistry() {
            @Override public List<VpnProfile> profiles() { return List.of(); }
            @Override public Optional<VpnProfile> profile(String name) { return Optional.empty(); }
            @Override public List<ProfileProblem> problems() { return List.of(problem); }
            @Override public List<ProfileProblem> problems(String name) { return problems(); }
        };
        StatusSnapshot s = builder.build(Statuses.T0, manager, null, null, registry);

        String html = StatusPage.render(s, "/system/console/vpn", "TOKEN", 3000, "v1");
        Matcher list = Pattern.compile("<ul id=\"vpn-profile-problems\">(.*?)</ul>").matcher(html);
        assertTrue(list.find(), html);
        assertEquals("<li class=\"vpn-failed\">" + Html.escape(problem.toString()) + "</li>", list.group(1));
        assertFalse(html.contains(EVIL), "the problem is text, never markup");
        java.io.StringWriter json = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = StatusJson.generator(json)) {
            StatusJson.write(s, g);
        }
        assertTrue(json.toString().contains("\"profileProblems\":[\"broken: remote_addrs: '300.1.1.1' is not an IPv4 address"),
                json.toString());
    }

    @Test
    void aConnectionNamedLikeAScriptIsShownAsTextNeverRun() {
        ConnectionStatus evil = ConnectionStatus.builder(EVIL)
                .lastError(new ConnectionError(FailureReason.INTERNAL, EVIL, Statuses.T0)).build();
        manager.statuses = List.of(evil);
        List<ConnectionEvent> events = List.of(new ConnectionEvent(Statuses.T0, VpnManager.TOPIC_PREFIX + "FAILED", EVIL,
                ConnectionState.FAILED, ConnectionState.CONNECTING, FailureReason.INTERNAL.name(), EVIL));

        String html = StatusPage.render(builder.build(Statuses.T0, manager, null, events), "/system/console/vpn", "T", 3000, "v1");

        assertEquals(1, count(html, "<script"), "only the page's own script element");
        assertFalse(html.contains("<img"), html);
        assertFalse(html.contains("onerror=alert(2)>"), "no attribute or tag broke out");
        assertFalse(html.contains("data-connection=\"<"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    }

    @Test
    void escapingCoversEveryCharacterThatEndsTextOrAnAttribute() {
        assertEquals("a&amp;b&lt;c&gt;d&quot;e&#39;f", Html.escape("a&b<c>d\"e'f"));
        assertEquals("plain", Html.escape("plain"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void withoutServicesThePageSaysWhatIsMissing() {
        String html = StatusPage.render(builder.build(Statuses.T0, null, null, null), "/system/console/vpn", "T", 3000, "v1");
        assertTrue(html.contains("The Policy Manager (VpnManager service) is not running"));
        assertTrue(html.contains("No provisioning check service."));
        assertTrue(html.contains("No connection event log service."));
    }
}
