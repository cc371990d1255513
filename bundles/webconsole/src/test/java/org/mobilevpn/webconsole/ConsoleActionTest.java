package org.mobilevpn.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.testsupport.FakeVpnManager;
import org.mobilevpn.testsupport.Statuses;

class ConsoleActionTest {
    private final CsrfTokens tokens = new CsrfTokens(new Random(1));
    private final ConsoleAction action = new ConsoleAction(tokens);
    private final FakeVpnManager manager = new FakeVpnManager();

    ConsoleActionTest() {
        manager.statuses = List.of(Statuses.disabled("office"));
    }

    @Test
    void theRightTokenConnects() {
        ConsoleAction.Result r = action.perform("admin", "http://127.0.0.1:8080", "127.0.0.1:8080",
                tokens.tokenFor("admin"), "connect", "office", manager);
        assertEquals(200, r.status());
        assertEquals(ConnectionState.CONNECTING, r.connection().state());
        assertEquals(List.of("connect office"), manager.requests);
    }

    @Test
    void aForgedOrMissingTokenIsRefusedAndChangesNothing() {
        for (String forged : new String[] {null, "", "x", tokens.tokenFor("someone-else"),
                new CsrfTokens(new Random(2)).tokenFor("admin")}) {
            ConsoleAction.Result r = action.perform("admin", null, "127.0.0.1:8080", forged, "disconnect", "office", manager);
            assertEquals(403, r.status(), String.valueOf(forged));
        }
        assertEquals(List.of(), manager.requests);
    }

    @Test
    void aPostFromAnotherOriginIsRefusedEvenWithTheToken() {
        ConsoleAction.Result r = action.perform("admin", "http://evil.example", "127.0.0.1:8080",
                tokens.tokenFor("admin"), "disconnect", "office", manager);
        assertEquals(403, r.status());
        assertEquals(List.of(), manager.requests);
    }

    @Test
    void originsMatchTheHostWithAndWithoutDefaultPorts() {
        assertTrue(ConsoleAction.sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assertTrue(ConsoleAction.sameOrigin("http://localhost", "localhost:80"));
        assertTrue(ConsoleAction.sameOrigin("https://gw.example.org", "gw.example.org"));
        assertTrue(ConsoleAction.sameOrigin(null, "127.0.0.1:8080"));
        assertFalse(ConsoleAction.sameOrigin("http://127.0.0.1:8081", "127.0.0.1:8080"));
        assertFalse(ConsoleAction.sameOrigin("null", "127.0.0.1:8080"));
        assertFalse(ConsoleAction.sameOrigin("http://127.0.0.1.evil.example:8080", "127.0.0.1:8080"));
    }

    @Test
    void tokensArePerUserAndPerKey() {
        assertEquals(tokens.tokenFor("admin"), tokens.tokenFor("admin"));
        assertNotEquals(tokens.tokenFor("admin"), tokens.tokenFor("admin2"));
        assertTrue(tokens.isValid("admin", tokens.tokenFor("admin")));
        assertFalse(tokens.isValid(null, tokens.tokenFor("admin")));
        assertTrue(tokens.isValid(null, tokens.tokenFor(null)), "a console without login still has a token");
    }

    @Test
    void unknownConnectionsActionsAndAMissingManagerAreReported() {
        String t = tokens.tokenFor("admin");
        assertEquals(404, action.perform("admin", null, "h", t, "connect", "nope", manager).status());
        assertEquals(400, action.perform("admin", null, "h", t, "delete", "office", manager).status());
        assertEquals(400, action.perform("admin", null, "h", t, "connect", "", manager).status());
        assertEquals(503, action.perform("admin", null, "h", t, "connect", "office", null).status());
        assertEquals(List.of("connect nope"), manager.requests, "only the valid request reached the manager");
    }
}
