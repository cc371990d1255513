package org.mobilevpn.api.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
        ChildSaKeys keys = new ChildSaKeys(a, SecretBytes.empty(), SecretBytes.empty(), b, SecretBytes.empty(),
                SecretBytes.empty());
        keys.close();
        assertTrue(a.isWiped() && b.isWiped());
        assertFalse(SecretBytes.empty().isWiped());
    }

    @Test
    void configCopiesPskAndNamesBadKeys() {
        byte[] psk = {7, 7};
        IkeSessionConfig config = IkeSessionConfig.builder("office").localId(IkeIdentity.parse("client@vpn.test"))
                .psk(psk).build();
        psk[0] = 0;
        assertArrayEquals(new byte[] {7, 7}, config.psk());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IkeSessionConfig
                .builder("x").localId(IkeIdentity.parse("a@b")).psk(psk).fragmentSize(10).build());
        assertTrue(e.getMessage().startsWith("fragment_size"));
        assertThrows(IllegalArgumentException.class,
                () -> IkeSessionConfig.builder("x").localId(IkeIdentity.parse("a@b")).build());
    }
}
