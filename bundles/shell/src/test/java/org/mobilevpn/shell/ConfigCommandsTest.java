package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfigCommandsTest {

    @Test
    void plainStringsAreShownAsTheyAre() {
        assertEquals("198.51.100.1", ConfigCommands.text("198.51.100.1"));
    }

    @Test
    void typedValuesAndArraysCarryTheirType() {
        assertEquals("20 (Integer)", ConfigCommands.text(20));
        assertEquals("true (Boolean)", ConfigCommands.text(Boolean.TRUE));
        assertEquals("[aes128gcm16, chacha20poly1305] (String[])",
                ConfigCommands.text(new String[] {"aes128gcm16", "chacha20poly1305"}));
        assertEquals("[1, 2] (int[])", ConfigCommands.text(new int[] {1, 2}));
    }
}
