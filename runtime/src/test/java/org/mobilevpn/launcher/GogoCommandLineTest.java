package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class GogoCommandLineTest {

    @Test
    void execPassesTheCommandLineThrough() {
        assertEquals("lb -s", GogoCommandLine.fromArguments(List.of("exec", "lb", "-s")));
    }

    @Test
    void statusUpAndDownBecomeVpnCommandsWithTheNameQuoted() {
        assertEquals("vpn:status", GogoCommandLine.fromArguments(List.of("status")));
        assertEquals("vpn:status 'office'", GogoCommandLine.fromArguments(List.of("status", "office")));
        assertEquals("vpn:up 'office'", GogoCommandLine.fromArguments(List.of("up", "office")));
        assertEquals("vpn:down 'it''s; lb'".replace("''", "\\'"), GogoCommandLine.fromArguments(List.of("down", "it's; lb")));
    }

    @Test
    void unknownOrIncompleteCommandsAreRefused() {
        assertNull(GogoCommandLine.fromArguments(List.of("exec")));
        assertNull(GogoCommandLine.fromArguments(List.of("up")));
        assertNull(GogoCommandLine.fromArguments(List.of("up", "a", "b")));
        assertNull(GogoCommandLine.fromArguments(List.of("restart")));
    }
}
