package org.mobilevpn.api.ike;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class IkeIdentityTest {

    @Test
    void parsesSwanctlNotation() {
        assertEquals(IkeIdentity.Type.RFC822_ADDR, IkeIdentity.parse("client@vpn.test").type());
        assertEquals(IkeIdentity.Type.FQDN, IkeIdentity.parse("gw.vpn.test").type());
        assertEquals(IkeIdentity.Type.FQDN, IkeIdentity.parse("@gw.vpn.test").type());
        assertArrayEquals("gw.vpn.test".getBytes(StandardCharsets.US_ASCII), IkeIdentity.parse("@gw.vpn.test").data());
        assertArrayEquals(new byte[] {(byte) 198, 51, 100, 1}, IkeIdentity.parse("198.51.100.1").data());
        assertEquals(IkeIdentity.Type.IPV6_ADDR, IkeIdentity.parse("2001:db8::1").type());
        assertArrayEquals(new byte[] {1, 2, (byte) 0xab}, IkeIdentity.parse("@#0102ab").data());
        IkeIdentity dn = IkeIdentity.parse("C=CH, O=strongSwan, CN=gw.vpn.test");
        assertEquals(IkeIdentity.Type.DER_ASN1_DN, dn.type());
        assertEquals(new X500Principal("C=CH, O=strongSwan, CN=gw.vpn.test"), new X500Principal(dn.data()));
    }

    @Test
    void rejectsMalformedIdentities() {
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse(" "));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.parse("@#zz"));
        assertThrows(IllegalArgumentException.class, () -> IkeIdentity.of(IkeIdentity.Type.IPV4_ADDR, new byte[5]));
    }

    @Test
    void equalityIsByTypeAndData() {
        assertEquals(IkeIdentity.parse("gw.vpn.test"), IkeIdentity.fqdn("gw.vpn.test"));
        assertEquals("client@vpn.test", IkeIdentity.parse("client@vpn.test").toString());
        assertEquals("198.51.100.1", IkeIdentity.parse("198.51.100.1").toString());
    }
}
