package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.profile.GatewayAddress;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProposalValidator;
import org.mobilevpn.api.profile.VpnProfile;
import org.mobilevpn.api.vnic.DnsStrategy;

class ProfileParserTest {
    static final String PSK = "Sup3r-s3cret-PSK-value";

    /** Stands in for the IKE bundle's validator: knows a few keywords, names the unknown one. */
    static final ProposalValidator VALIDATOR = new ProposalValidator() {
        private final List<String> known = List.of("aes128", "aes256", "aes128gcm16", "aes256gcm16", "chacha20poly1305",
                "sha256", "sha384", "prfsha256", "prfsha384", "modp2048", "x25519", "ecp256", "esn", "noesn");

        @Override
        public void checkIkeProposal(String proposal) {
            check(proposal);
        }

        @Override
        public void checkEspProposal(String proposal) {
            check(proposal);
        }

        private void check(String proposal) {
            for (String k : proposal.split("-")) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("unknown algorithm keyword '" + k + "'");
                }
            }
        }
    };

    @TempDir
    Path home;

    /** Shared: building the BC provider takes a while, and the resolver keeps no state. */
    static final CredentialResolver CREDENTIALS = new CredentialResolver(new CredentialLoader(),
            new KeyPairCheck(new SecureRandom()), Clock.systemUTC());

    ProfileParser parser() {
        return new ProfileParser(home, CREDENTIALS);
    }

    static Map<String, Object> office() {
        Map<String, Object> m = new HashMap<>();
        m.put("name", "office");
        m.put("remote_addrs", "198.51.100.1");
        m.put("local_id", "client@example.org");
        m.put("remote_id", "gw.example.org");
        m.put("auth", "psk");
        m.put("psk", PSK);
        m.put("service.pid", "org.mobilevpn.profile~office");
        m.put("felix.fileinstall.filename", "file:/opt/mobilevpn/etc/org.mobilevpn.profile-office.cfg");
        return m;
    }

    ParseResult parse(Map<String, Object> m) {
        return parser().parse(m, null, VALIDATOR, "");
    }

    /** The problems of a configuration that differs from {@link #office()} in one key. */
    List<ProfileProblem> problemsWith(String key, Object value) {
        Map<String, Object> m = office();
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        ParseResult r = parse(m);
        assertNull(r.profile(), key + "=" + value + " should be invalid");
        assertFalse(r.problems().isEmpty());
        return r.problems();
    }

    @Test
    void aMinimalPskProfileGetsStrongSwanDefaults() {
        ParseResult r = parse(office());
        assertTrue(r.valid(), r.problems().toString());
        VpnProfile p = r.profile();
        assertEquals("office", p.name());
        assertEquals(List.of(new GatewayAddress("198.51.100.1", 500)), p.remoteAddrs());
        assertEquals(IkeIdentity.email("client@example.org"), p.ike().localId());
        assertEquals(IkeIdentity.fqdn("gw.example.org"), p.ike().remoteId());
        assertEquals(AuthMethod.PSK, p.ike().auth());
        assertEquals(List.of(IkeSessionConfig.DEFAULT_IKE_PROPOSAL, IkeSessionConfig.DEFAULT_IKE_PROPOSAL_CLASSIC), p.ike().ikeProposals());
        assertEquals(List.of(IkeSessionConfig.DEFAULT_ESP_PROPOSAL, IkeSessionConfig.DEFAULT_ESP_PROPOSAL_CLASSIC), p.ike().espProposals());
        assertEquals(List.of(TrafficSelector.ANY_IPV4), p.ike().localTs());
        assertTrue(p.localTsDynamic());
        assertEquals(List.of(TrafficSelector.ANY_IPV4), p.ike().remoteTs());
        assertEquals(Duration.ofSeconds(30), p.ike().dpdDelay());
        assertEquals(Duration.ofSeconds(20), p.keepalive());
        assertEquals(Duration.ofHours(4), p.ike().ikeRekeyTime());
        assertEquals(Duration.ofHours(1), p.ike().childRekeyTime());
        assertFalse(p.autostart() || p.ike().encap() || p.killSwitch() || p.ike().allowSha1Signatures());
        assertTrue(p.ike().mobike(), "mobike = yes, as in swanctl");
        assertEquals(DnsStrategy.NONE, p.dns());
        assertTrue(p.ike().psk().contentEquals(PSK.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyKeyInFileFormReachesTheEngineConfiguration() throws Exception {
        Map<String, Object> m = office();
        m.put("remote_addrs", "gw.example.org:4500, 198.51.100.2");
        m.put("proposals", "aes128gcm16-prfsha256-ecp256");
        m.put("esp_proposals", "aes128gcm16, chacha20poly1305");
        m.put("local_ts", "dynamic");
        m.put("remote_ts", "203.0.113.0/24, 2001:db8:1::/48");
        m.put("vips", "0.0.0.0, ::");
        m.put("encap", "yes");
        m.put("mobike", "no");
        m.put("dpd_delay", "10s");
        m.put("keepalive", "15");
        m.put("rekey_time", "2h");
        m.put("child_rekey_time", "50m");
        m.put("autostart", "true");
        m.put("split_include", "203.0.113.0/25");
        m.put("split_exclude", "203.0.113.200");
        m.put("kill_switch", "yes");
        m.put("dns", "resolv_conf");
        m.put("remote_id", "%any");
        m.put("allow_sha1_signatures", "yes");
        ParseResult r = parse(m);
        assertTrue(r.valid(), r.problems().toString());
        VpnProfile p = r.profile();
        assertEquals(List.of(new GatewayAddress("gw.example.org", 4500), new GatewayAddress("198.51.100.2", 500)), p.remoteAddrs());
        assertEquals(List.of(TrafficSelector.ANY_IPV4, TrafficSelector.ANY_IPV6), p.ike().localTs(), "dynamic: both vip families");
        assertEquals(List.of(TrafficSelector.parse("203.0.113.0/24"), TrafficSelector.parse("2001:db8:1::/48")), p.ike().remoteTs());
        assertEquals(List.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::")), p.ike().vips());
        assertEquals(List.of(org.mobilevpn.api.ipsec.TrafficSelector.parse("203.0.113.0/25")), p.splitTunnelPolicy().include());
        assertEquals(List.of(org.mobilevpn.api.ipsec.TrafficSelector.parse("203.0.113.200/32")), p.splitTunnelPolicy().exclude());
        assertTrue(p.splitTunnelPolicy().killSwitch() && p.autostart() && p.ike().encap());
        assertEquals(DnsStrategy.RESOLV_CONF, p.dns());
        assertTrue((p.ike().remoteId() == null), "%any");
        assertEquals(Duration.ofSeconds(15), p.keepalive());

        IkeSessionConfig c = p.ike();
        assertEquals(List.of("aes128gcm16-prfsha256-ecp256"), c.ikeProposals());
        assertEquals(List.of("aes128gcm16", "chacha20poly1305"), c.espProposals());
        assertEquals(Duration.ofSeconds(10), c.dpdDelay());
        assertEquals(Duration.ofHours(2), c.ikeRekeyTime());
        assertEquals(Duration.ofMinutes(50), c.childRekeyTime());
        assertTrue(c.encap());
        assertFalse(c.mobike());
        assertTrue(c.allowSha1Signatures());
        assertEquals(2, c.vips().size());
        assertNull(c.remoteId());
        assertEquals(IkeIdentity.fqdn("gw.example.org"), p.ikeFor(p.remoteAddrs().get(0)).remoteHostId(),
                "without remote_id, the certificate must name the host we dial");
        assertEquals(IkeIdentity.address(InetAddress.getByName("198.51.100.2")), p.ikeFor(p.remoteAddrs().get(1)).remoteHostId());
    }

    @Test
    void typedValuesFromAConfigFileOrTheWebConsoleWorkToo() {
        Map<String, Object> m = office();
        m.put("remote_addrs", new String[] {"198.51.100.1"});
        m.put("remote_port", 4500);
        m.put("esp_proposals", new String[] {"aes256gcm16", "aes128gcm16"});
        m.put("encap", Boolean.TRUE);
        m.put("dpd_delay", 45L);
        m.put("ca", new String[0]);
        m.put("vips", new String[] {""});
        ParseResult r = parse(m);
        assertTrue(r.valid(), r.problems().toString());
        assertEquals(new GatewayAddress("198.51.100.1", 4500), r.profile().remoteAddrs().get(0));
        assertEquals(Duration.ofSeconds(45), r.profile().ike().dpdDelay());
        assertEquals(List.of(), r.profile().ike().vips());
    }

    @Test
    void nameDefaultsToTheConfigurationAlias() {
        Map<String, Object> m = office();
        m.remove("name");
        assertEquals("lab", parser().parse(m, "lab", null, "").profile().name());
        assertEquals(List.of("name"), keys(parser().parse(m, null, null, "").problems()));
    }

    @Test
    void dynamicLocalTsFollowsTheGatewayFamilyWithoutVips() {
        Map<String, Object> m = office();
        m.put("remote_addrs", "[2001:db8::1]:500");
        m.put("local_ts", "dynamic[tcp/22]");
        VpnProfile p = parse(m).profile();
        assertEquals(List.of(new TrafficSelector(6, TrafficSelector.ANY_IPV6.startAddress(), TrafficSelector.ANY_IPV6.endAddress(), 22, 22)),
                p.ike().localTs());
    }

    @Test
    void dynamicRemoteTsIsTheGatewayAddress() {
        Map<String, Object> m = office();
        m.put("remote_ts", "dynamic");
        assertEquals(List.of(TrafficSelector.parse("198.51.100.1/32")), parse(m).profile().ike().remoteTs());
        m.put("remote_addrs", "gw.example.org");
        assertEquals(List.of("remote_ts"), keys(parse(m).problems()));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "remote_addrs | 300.1.1.1 | is not an IPv4 address",
        "remote_addrs | NULL | missing",
        "remote_addrs | gw_1.example.org | is not a host name or IP address",
        "remote_port | 0 | is not a whole number in 1..65535",
        "name | bad name! | must be 1-64",
        "local_id | NULL | auth = psk needs our identity",
        "local_id | %any | not an identity we can send",
        "local_id | 10.0.0.256 | is not an IPv4 address",
        "remote_id | CN=x,, | is not an identity",
        "auth | eap-mschapv2 | 'eap-mschapv2' is not supported: use psk or pubkey",
        "auth | password | is unknown",
        "psk | NULL | auth = psk needs a pre-shared key",
        "psk | 0xnothex | not an even number of hex digits",
        "ike_proposals | aes256-sha256-modp1024 | unknown algorithm keyword 'modp1024'",
        "ike_proposals | aes256--sha256 | is not a proposal",
        "ike_proposals | ' , ' | empty",
        "esp_proposals | aes256gcm16, foo128 | unknown algorithm keyword 'foo128'",
        "local_ts | 10.0.0.0/33 | invalid prefix length",
        "remote_ts | intranet.example.org | no host names in selectors",
        "remote_ts | 203.0.113.0/24[smtp] | unknown protocol",
        "vips | 0.0.0.0.0 | is not an IPv4 address",
        "encap | sometimes | is not a boolean",
        "autostart | 2 | is not a boolean",
        "kill_switch | on | is not a boolean",
        "allow_sha1_signatures | maybe | is not a boolean",
        "dpd_delay | 30 seconds | whole non-negative number with a unit",
        "keepalive | -20s | whole non-negative number",
        "rekey_time | 1.5h | whole non-negative number",
        "child_rekey_time | 1w | unknown unit",
        "split_include | 203.0.113.0/24x | is not a subnet or address",
        "split_exclude | printer.example.org | is not a subnet or address",
        "dns | systemd | is unknown: use none or resolv_conf",
        "uplinks | eth0, sixteen-chars-xx | 'sixteen-chars-xx' is not an interface name: 1-15 bytes",
        "uplinks | eth0/1 | 'eth0/1' is not an interface name",
        "uplinks | wwan:0 | 'wwan:0' is not an interface name",
        "uplinks | '..' | '..' is not an interface name",
        "uplinks | eth0, wwan0, eth0 | 'eth0' is listed twice",
        "remote_adrs | 198.51.100.1 | unknown key; did you mean remote_addrs?",
        "Auth | psk | unknown key; did you mean auth?",
        "cert_file | x | unknown key",
    })
    void everyBadValueIsAProblemNamingItsKey(String key, String value, String message) {
        List<ProfileProblem> problems = problemsWith(key, value);
        assertTrue(problems.stream().anyMatch(p -> p.key().equals(key) && p.message().contains(message)),
                key + ": expected '" + message + "' in " + problems);
        assertTrue(problems.stream().allMatch(p -> p.profile().equals("office") || key.equals("name")), problems.toString());
    }

    @Test
    void uplinksKeepTheirOrderAndAbsentMeansTheKernelsChoice() {
        assertEquals(List.of(), parse(office()).profile().uplinks());
        Map<String, Object> m = office();
        m.put("uplinks", "wwan0, eth0");
        assertEquals(List.of("wwan0", "eth0"), parse(m).profile().uplinks());
        m.put("uplinks", new String[] {"enp0s31f6", "wlan0", "x-15-chars-name"});
        assertEquals(List.of("enp0s31f6", "wlan0", "x-15-chars-name"), parse(m).profile().uplinks());
        assertTrue(parse(m).profile().toString().contains("uplinks=enp0s31f6, wlan0, x-15-chars-name"));
    }

    @Test
    void anUplinkWithWhitespaceOrTooManyBytesIsRejected() {
        // the list splits at commas only, so a name with a blank inside stays one entry and is refused
        assertTrue(problemsWith("uplinks", "eth 0").stream().anyMatch(p -> p.message().startsWith("'eth 0'")));
        // 14 characters but 16 bytes in UTF-8: IFNAMSIZ counts bytes
        assertTrue(problemsWith("uplinks", "wlan\u00e9\u00e9-abcdefg").stream()
                .anyMatch(p -> p.key().equals("uplinks") && p.message().contains("1-15 bytes")));
    }

    @Test
    void bothProposalKeysAtOnceIsAProblem() {
        Map<String, Object> m = office();
        m.put("proposals", "aes256-sha256-modp2048");
        m.put("ike_proposals", "aes256-sha256-modp2048");
        assertEquals(List.of("proposals"), keys(parse(m).problems()));
    }

    @Test
    void withoutAValidatorOnlyTheProposalSyntaxIsChecked() {
        Map<String, Object> m = office();
        m.put("esp_proposals", "foo128");
        assertTrue(parser().parse(m, null, null, "").valid());
        m.put("esp_proposals", "foo 128");
        assertEquals(List.of("esp_proposals"), keys(parser().parse(m, null, null, "").problems()));
    }

    @Test
    void theEnginesOwnWordingIsNotRepeated() {
        assertEquals("'foo999': unknown algorithm 'foo999'",
                ProfileParser.validatorMessage("foo999", "esp_proposals: 'foo999': unknown algorithm 'foo999'"));
        assertEquals("'aes-x': unknown keyword 'x'", ProfileParser.validatorMessage("aes-x", "proposals: unknown keyword 'x'"));
        assertEquals("'aes-x': unknown keyword 'x'", ProfileParser.validatorMessage("aes-x", "unknown keyword 'x'"));
        assertEquals("'aes-x': rejected by the IKE engine", ProfileParser.validatorMessage("aes-x", null));
    }

    @Test
    void aValidatorThatBreaksIsAProblemNotACrash() {
        ProposalValidator broken = new ProposalValidator() {
            @Override
            public void checkIkeProposal(String proposal) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void checkEspProposal(String proposal) {
            }
        };
        Map<String, Object> m = office();
        m.put("ike_proposals", "aes256-sha256-modp2048");
        ParseResult r = parser().parse(m, null, broken, "");
        assertEquals(List.of("ike_proposals"), keys(r.problems()));
    }

    @Test
    void manyProblemsAreAllReportedAtOnce() {
        Map<String, Object> m = office();
        m.put("remote_addrs", "300.1.1.1");
        m.remove("psk");
        m.put("dpd_delay", "soon");
        m.put("esp_proposals", "foo");
        assertEquals(List.of("dpd_delay", "esp_proposals", "psk", "remote_addrs"),
                keys(parse(m).problems()).stream().sorted().toList());
    }

    @Test
    void theSecretNeverAppearsInProblemsOrWarnings() {
        Map<String, Object> m = office();
        m.put("psk", new String[] {PSK, PSK}); // wrong shape: must be reported without echoing it
        m.put("key_password", new String[] {PSK, "x"});
        ParseResult r = parse(m);
        assertFalse(r.valid());
        assertFalse(r.toString().contains(PSK) || r.problems().toString().contains(PSK) || r.warnings().toString().contains(PSK));
        m = office();
        m.put("auth", "pubkey");
        ParseResult pub = parse(m);
        assertFalse(pub.problems().toString().contains(PSK) || pub.warnings().toString().contains(PSK), pub.toString());
        assertTrue(pub.warnings().contains("psk: ignored with auth = pubkey"), pub.warnings().toString());
    }

    @Test
    void metatypeDefaultsMeanTheSameAsAbsentKeys() throws Exception {
        Map<String, Object> withDefaults = office();
        for (Method attribute : ProfileConfig.class.getDeclaredMethods()) {
            Object def = attribute.getDefaultValue();
            if (def != null) {
                withDefaults.put(attribute.getName().replace("__", "_"), def);
            }
        }
        assertTrue(withDefaults.containsKey("child_rekey_time") && withDefaults.containsKey("esp_proposals"));
        assertEquals(parse(office()).profile(), parse(withDefaults).profile());
    }

    @Test
    void garbageNeverEscapesAsAnException() {
        Random random = new Random(4711);
        Object[] shapes = {null, "", " ", ",", "%any", "0x", "[", "]:", "::", "1.2.3.4", "a-b-c", "30s", "yes", 7, -1L, 3.5,
                Boolean.FALSE, new String[] {null, "x"}, new int[] {1}, new Object[] {new Object()}, List.of("a", "b"),
                Map.of("x", 1), new Object(), "\u0000\n\r", "ä".repeat(300), "/dev/null", "../../etc/shadow", "C=,CN"};
        List<String> keys = ProfileKeys.ALL.stream().sorted().collect(Collectors.toList());
        keys.add("service.pid");
        keys.add("nonsense");
        ProfileParser parser = parser(); // one BC provider for all rounds
        for (int round = 0; round < 1000; round++) {
            Map<String, Object> m = random.nextBoolean() ? office() : new HashMap<>();
            for (int i = random.nextInt(8); i >= 0; i--) {
                m.put(keys.get(random.nextInt(keys.size())), shapes[random.nextInt(shapes.length)]);
            }
            ParseResult r = parser.parse(m, random.nextBoolean() ? null : "alias", VALIDATOR, "");
            assertNotNull(r);
            assertTrue(r.valid() != !r.problems().isEmpty(), "valid exactly when there are no problems: " + r);
            for (ProfileProblem p : r.problems()) {
                assertFalse(p.key().contains("(profile)"), "internal error for " + m + ": " + p);
                assertFalse(p.message().contains("\n"), p.toString());
            }
        }
    }

    static List<String> keys(List<ProfileProblem> problems) {
        return problems.stream().map(ProfileProblem::key).distinct().toList();
    }
}
