package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;
import org.mobilevpn.testsupport.TestLogger;

/** The servlet as the Web Console calls it: GET of the page content and JSON, POST of an action. */
class VpnConsolePluginTest {
    private final FakeVpnManager manager = new FakeVpnManager();
    private final VpnConsolePlugin plugin = new VpnConsolePlugin(Clock.fixed(Statuses.T0, ZoneOffset.UTC), new Random(7));

    VpnConsolePluginTest() {
        manager.statuses = List.of(Statuses.connected("office", Statuses.T0, Statuses.childSa(1, 2, 3, 4, Statuses.T0.plusSeconds(60))));
        plugin.manager = manager;
        plugin.logger = new TestLogger();
    }

    private ServletFakes.Response call(ServletFakes.Request request) throws Exception {
        ServletFakes.Response response = new ServletFakes.Response();
        plugin.service(request.proxy(), response.proxy());
        return response;
    }

    private String tokenOnThePage(String user) throws Exception {
        ServletFakes.Request request = new ServletFakes.Request();
        request.remoteUser = user;
        ServletFakes.Response response = new ServletFakes.Response();
        plugin.renderContent(request.proxy(), response.proxy());
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"token\" value=\"([^\"]+)\">").matcher(response.body());
        assertTrue(m.find(), "the page carries a token");
        return m.group(1);
    }

    private static ServletFakes.Request post(String action, String name, String token) {
        ServletFakes.Request r = new ServletFakes.Request();
        r.method = "POST";
        r.param("action", action).param("name", name).header("Host", "127.0.0.1:8080");
        if (token != null) {
            r.param("token", token);
        }
        return r;
    }

    @Test
    void theJsonIsServedUnderStatusJson() throws Exception {
        ServletFakes.Request r = new ServletFakes.Request();
        r.pathInfo = "/vpn/status.json";
        ServletFakes.Response response = call(r);

        assertEquals("application/json", response.contentType);
        Map<String, Object> json = StrictJson.object(response.body());
        assertEquals("office", ((Map<?, ?>) ((List<?>) json.get("connections")).get(0)).get("name"));
    }

    @Test
    void thePageItselfIsLeftToTheConsoleFrame() throws Exception {
        ServletFakes.Response response = call(new ServletFakes.Request());
        assertNull(response.contentType, "no response: the console renders header, renderContent, footer");
        assertEquals("", response.body());
    }

    @Test
    void aPostWithThePagesTokenDisconnectsAndRedirectsBackToThePage() throws Exception {
        String token = tokenOnThePage("admin");
        ServletFakes.Response response = call(post("disconnect", "office", token).header("Origin", "http://127.0.0.1:8080"));

        assertEquals(303, response.status);
        assertEquals("/system/console/vpn", response.headers.get("Location"));
        assertEquals(List.of("disconnect office"), manager.requests);
    }

    @Test
    void aForgedPostIsRefusedWith403AndChangesNothing() throws Exception {
        assertEquals(403, call(post("disconnect", "office", null)).status);
        assertEquals(403, call(post("disconnect", "office", "forged")).status);
        assertEquals(403, call(post("connect", "office", tokenOnThePage("someone-else"))).status);
        assertEquals(403, call(post("connect", "office", tokenOnThePage("admin")).header("Origin", "http://evil.example")).status);
        assertEquals(List.of(), manager.requests);
    }

    @Test
    void aScriptAskingForJsonGetsTheNewState() throws Exception {
        ServletFakes.Response response = call(post("connect", "office", tokenOnThePage("admin")).header("Accept", "application/json"));
        assertEquals(200, response.status);
        assertEquals("CONNECTING", StrictJson.object(response.body()).get("state"));
    }

    @Test
    void theScriptUrlNamesTheScriptsContent() throws Exception {
        ServletFakes.Response response = new ServletFakes.Response();
        plugin.renderContent(new ServletFakes.Request().proxy(), response.proxy());
        assertTrue(Pattern.compile("<script src=\"/system/console/vpn/res/vpn.js\\?v=[0-9a-f]{12}\"></script>")
                .matcher(response.body()).find(), response.body());
    }

    @Test
    void onlyThePagesScriptIsServedAsAResource() {
        assertNotNull(plugin.getResource("/vpn/res/vpn.js"));
        assertNull(plugin.getResource("/vpn/res/VpnConsolePlugin.class"));
        assertNull(plugin.getResource("/vpn/res/../VpnConsolePlugin.class"));
    }
}
