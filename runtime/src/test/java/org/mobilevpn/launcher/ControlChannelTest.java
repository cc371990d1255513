package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ControlChannelTest {

    @Test
    void theSocketLivesInDataRunOfTheRuntime() {
        assertEquals(Path.of("/opt/mobilevpn/data/run/control.sock"), ControlChannel.socketPath(Path.of("/opt/mobilevpn")));
    }

    @Test
    void aRuntimeInstalledTooDeepForASocketAddressGetsAShortPathUnderRunOfItsOwn() {
        Path deep = Path.of("/srv/" + "a-very-long-directory-name/".repeat(4) + "mobilevpn");
        Path socket = ControlChannel.socketPath(deep);
        assertTrue(socket.startsWith("/run/mobilevpn/"), socket.toString());
        assertTrue(socket.toString().length() < ControlChannel.MAX_SOCKET_PATH, socket.toString());
        assertEquals(socket, ControlChannel.socketPath(deep), "the client finds the same socket");
        assertNotEquals(socket, ControlChannel.socketPath(deep.resolveSibling("other")), "one socket per runtime");
    }
}
