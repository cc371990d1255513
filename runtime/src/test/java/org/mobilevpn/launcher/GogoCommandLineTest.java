package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.profile.VpnProfile;

class GogoCommandLineTest {

    @Test
    void execPassesTheCommandLineThrough() {
        assertEquals("lb -s", GogoCommandLine.fromArguments(List.of("exec", "lb", "-s")));
    }

    @Test
    void statusUpAndDownBecomeVpnCommandsWithTheNameQuoted() {
        assertEquals("vpn:status", GogoCommandLine.fromArguments(List.of("status")));
        assertEquals("vpn:status 'office'", GogoCommandLine.fromArguments(List.of("status", "office")));
        assertEquals("vpn:up 'office-2.lab_1'", GogoCommandLine.fromArguments(List.of("up", "office-2.lab_1")));
        assertEquals("vpn:down 'office'", GogoCommandLine.fromArguments(List.of("down", "office")));
    }

    @Test
    void aNameThatBreaksTheProfileNameRuleIsRefusedAndNamed() {
        for (String crafted : List.of("x' | lb #", "it's; lb", "a\"b", "$(id)", "${x}", "a b", "a;lb", "a|lb", "{lb}",
                "a\\' lb", "-x", ".hidden", "", "a\nlb", "a\u0000", "é", "x".repeat(65))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GogoCommandLine.fromArguments(List.of("down", crafted)), crafted);
            assertTrue(e.getMessage().startsWith("not a connection name: \""), e.getMessage());
            assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "no control characters echoed: " + e.getMessage());
        }
    }

    @Test
    void theLauncherFollowsTheProfilesNameRule() {
        assertEquals(VpnProfile.NAME.pattern(), GogoCommandLine.CONNECTION_NAME.pattern());
    }

    @Test
    void unknownOrIncompleteCommandsAreRefused() {
        assertNull(GogoCommandLine.fromArguments(List.of("exec")));
        assertNull(GogoCommandLine.fromArguments(List.of("up")));
        assertNull(GogoCommandLine.fromArguments(List.of("up", "a", "b")));
        assertNull(GogoCommandLine.fromArguments(List.of("restart")));
    }
}
