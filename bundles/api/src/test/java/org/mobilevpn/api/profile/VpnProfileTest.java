package org.mobilevpn.api.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.api.ipsec.TrafficSelector;

class VpnProfileTest {

    private static VpnProfile.Builder office(String psk) {
        return VpnProfile.builder(IkeSessionConfig.builder("office").localId(IkeIdentity.parse("client@example.org"))
                        .remoteId(IkeIdentity.parse("gw.example.org")).psk(SecretBytes.copyOf(psk.getBytes(StandardCharsets.UTF_8))))
                .remoteAddrs(List.of(new GatewayAddress("198.51.100.1", 500)));
    }

    @Test
    void holdsTheEngineConfiguration() throws Exception {
        VpnProfile.Builder b = office("correct horse battery");
        b.ike().remoteTs(List.of(TrafficSelector.parse("203.0.113.0/24"))).vips(List.of(InetAddress.getByName("0.0.0.0")))
                .encap(true).dpdDelay(Duration.ofSeconds(10)).ikeRekeyTime(Duration.ofHours(2))
                .childRekeyTime(Duration.ofMinutes(50)).espProposals(List.of("chacha20poly1305"));
        IkeSessionConfig c = b.build().ike();
        assertEquals("office", c.name());
        assertEquals(AuthMethod.PSK, c.auth());
        assertArrayEquals("correct horse battery".getBytes(StandardCharsets.UTF_8), c.psk().toByteArray());
        assertEquals(IkeIdentity.parse("gw.example.org"), c.remoteId());
        assertEquals(List.of("chacha20poly1305"), c.espProposals());
        assertEquals(List.of(TrafficSelector.parse("203.0.113.0/24")), c.remoteTs());
        assertTrue(c.encap());
        assertEquals(Duration.ofSeconds(10), c.dpdDelay());
        assertEquals(Duration.ofHours(2), c.ikeRekeyTime());
        assertEquals(Duration.ofMinutes(50), c.childRekeyTime());
        assertEquals(Duration.ofMinutes(55), c.childLifetime(), "life_time = rekey_time + 10%");
        assertEquals(List.of(InetAddress.getByName("0.0.0.0")), c.vips());
    }

    @Test
    void neverPrintsThePsk() {
        VpnProfile p = office("s3cr3t-psk-value").build();
        assertFalse(p.toString().contains("s3cr3t"), p.toString());
        assertTrue(p.toString().contains("psk=(secret)"));
    }

    @Test
    void handsOutCopiesOfThePsk() {
        VpnProfile p = office("abc").build();
        SecretBytes copy = p.ike().psk();
        copy.close();
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), p.ike().psk().toByteArray());
    }

    @Test
    void buildListsEveryMissingValueByKey() {
        ProfileValidationException e = assertThrows(ProfileValidationException.class,
                () -> VpnProfile.builder(IkeSessionConfig.builder("bad name!").ikeProposals(List.of())
                        .dpdDelay(Duration.ofSeconds(-1))).keepalive(Duration.ofSeconds(-1)).build());
        Set<String> keys = e.problems().stream().map(ProfileProblem::key).collect(Collectors.toSet());
        assertEquals(Set.of("name", "remote_addrs", "local_id", "psk", "ike_proposals", "dpd_delay", "keepalive"), keys);
        assertTrue(e.getMessage().contains("psk: missing"), e.getMessage());
    }

    @Test
    void pubkeyNeedsCertificateAndKey() {
        ProfileValidationException e = assertThrows(ProfileValidationException.class,
                () -> {
                    VpnProfile.Builder b = office("x");
                    b.ike().pubkey(List.of(), null);
                    b.build();
                });
        assertEquals(Set.of("cert", "key"), e.problems().stream().map(ProfileProblem::key).collect(Collectors.toSet()));
    }

    /** What an absent key means is said once, by the constants the profile form shows. */
    @Test
    void absentKeysTakeTheDefaultsTheFormShows() {
        VpnProfile p = office("x").build();
        IkeSessionConfig c = p.ike();
        assertEquals(AuthMethod.valueOf(IkeSessionConfig.DEFAULT_AUTH.toUpperCase()), c.auth());
        assertEquals(List.of(IkeSessionConfig.DEFAULT_IKE_PROPOSAL, IkeSessionConfig.DEFAULT_IKE_PROPOSAL_CLASSIC),
                c.ikeProposals());
        assertEquals(List.of(IkeSessionConfig.DEFAULT_ESP_PROPOSAL, IkeSessionConfig.DEFAULT_ESP_PROPOSAL_CLASSIC),
                c.espProposals());
        assertEquals(List.of(TrafficSelector.parse(IkeSessionConfig.DEFAULT_REMOTE_TS)), c.remoteTs());
        assertEquals(Duration.ofSeconds(30), c.dpdDelay());
        assertEquals(Duration.ofHours(4), c.ikeRekeyTime());
        assertEquals(Duration.ofHours(1), c.childRekeyTime());
        assertEquals(Duration.ofMinutes(66), c.childLifetime());
        assertEquals(Duration.ofSeconds(20), p.keepalive());
        assertTrue(p.localTsDynamic());
        assertEquals(org.mobilevpn.api.vnic.DnsStrategy.NONE, p.dns());
    }

    @Test
    void equalityComparesTheSecretToo() {
        assertEquals(office("one").build(), office("one").build());
        assertNotEquals(office("one").build(), office("two").build());
        assertNotEquals(office("one").build(), office("one").autostart(true).build());
    }

    @Test
    void splitTunnelPolicyCarriesTheLists() {
        var include = List.of(org.mobilevpn.api.ipsec.TrafficSelector.parse("203.0.113.0/24"));
        VpnProfile p = office("x").splitInclude(include).killSwitch(true).build();
        assertEquals(include, p.splitTunnelPolicy().include());
        assertTrue(p.splitTunnelPolicy().killSwitch());
    }

    @Test
    void gatewayAddressPrintsIpv6InBrackets() {
        assertEquals("[2001:db8::1]:4500", new GatewayAddress("2001:db8::1", 4500).toString());
        assertTrue(new GatewayAddress("198.51.100.1", 500).isLiteral());
        assertFalse(new GatewayAddress("gw.example.org", 500).isLiteral());
        assertThrows(IllegalArgumentException.class, () -> new GatewayAddress("gw", 0));
    }

    @Test
    void provisioningReportPassesOnlyWhenEveryCheckPasses() {
        ProvisioningReport r = new ProvisioningReport(List.of(new ProvisioningItem("tun", true, "ok"),
                new ProvisioningItem("cap_net_admin", false, "missing")));
        assertFalse(r.passed());
        assertEquals(List.of("ok    tun  ok", "FAIL  cap_net_admin  missing"), r.lines());
    }
}
