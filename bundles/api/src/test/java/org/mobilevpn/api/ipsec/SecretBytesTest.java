package org.mobilevpn.api.ipsec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.ChildSaKeys;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;

class SecretBytesTest {

    @Test
    void copiesInAndOutAndWipesOnClose() {
        byte[] key = {1, 2, 3};
        SecretBytes secret = SecretBytes.copyOf(key);
        key[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, secret.toByteArray());
        assertTrue(secret.contentEquals(new byte[] {1, 2, 3}));
        assertEquals("SecretBytes[3 bytes]", secret.toString());
        secret.close();
        assertTrue(secret.isWiped());
        assertThrows(IllegalStateException.class, secret::toByteArray);
    }

    @Test
    void keyRecordsWipeEverything() {
        SecretBytes a = SecretBytes.copyOf(new byte[] {1});
        SecretBytes b = SecretBytes.copyOf(new byte[] {2});
        ChildSaKeys keys = new ChildSaKeys(new EspKeys(a, SecretBytes.empty(), SecretBytes.empty()),
                new EspKeys(b, SecretBytes.empty(), SecretBytes.empty()));
        keys.close();
        assertTrue(a.isWiped() && b.isWiped());
        assertTrue(keys.in().isClosed() && keys.out().isClosed());
        assertFalse(SecretBytes.empty().isWiped());
    }

    @Test
    void configCopiesPskAndNamesBadKeys() {
        SecretBytes psk = SecretBytes.copyOf(new byte[] {7, 7});
        IkeSessionConfig config = IkeSessionConfig.builder("office").localId(IkeIdentity.parse("client@vpn.test"))
                .psk(psk).build();
        psk.close();
        SecretBytes handedOut = config.psk();
        assertArrayEquals(new byte[] {7, 7}, handedOut.toByteArray());
        handedOut.close();
        assertArrayEquals(new byte[] {7, 7}, config.psk().toByteArray(), "each caller gets its own copy to wipe");
        assertFalse(config.toString().contains("7, 7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IkeSessionConfig
                .builder("x").localId(IkeIdentity.parse("a@b")).psk(config.psk()).dpdDelay(java.time.Duration.ofSeconds(-1))
                .build());
        assertEquals("dpd_delay: negative", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> IkeSessionConfig.builder("x").localId(IkeIdentity.parse("a@b")).build());
    }
}
