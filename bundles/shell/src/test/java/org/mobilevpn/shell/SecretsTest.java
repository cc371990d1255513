package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksPreSharedKeysPasswordsAndSecretsWhateverTheirCase() {
        for (String key : new String[] {"psk", "PSK", "key_password", "eap_secret", "private_key_passphrase"}) {
            assertTrue(Secrets.isSecret(key), key);
            assertEquals(Secrets.MASK, Secrets.shown(key, "hunter2"));
        }
    }

    @Test
    void showsOrdinaryValues() {
        assertFalse(Secrets.isSecret("remote_addrs"));
        assertEquals("198.51.100.1", Secrets.shown("remote_addrs", "198.51.100.1"));
    }
}
