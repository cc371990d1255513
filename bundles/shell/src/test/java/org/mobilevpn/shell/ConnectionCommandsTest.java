package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.ConnectionState;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.ipsec.EncryptionAlgorithm;
import org.mobilevpn.api.ipsec.IntegrityAlgorithm;
import org.mobilevpn.api.ipsec.TrafficSelector;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionError;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileProblem;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.VpnProfile;

class ConnectionCommandsTest {
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** A clock moved only by the commands' pauses. */
    static final class FakeClock extends Clock {
        Instant now = T0;

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    /** Answers status requests from a script of snapshots; the last one repeats. */
    static class ScriptedVpn implements VpnManager {
        final Deque<ConnectionStatus> script = new ArrayDeque<>();
        final List<String> requests = new ArrayList<>();
        List<ConnectionStatus> all = List.of();

        ConnectionStatus next() {
            return script.size() > 1 ? script.poll() : script.peek();
        }

        @Override public List<String> list() { return all.stream().map(ConnectionStatus::name).toList(); }

        @Override
        public ConnectionStatus connect(String name) {
            requests.add("connect " + name);
            if (script.isEmpty()) {
                throw new IllegalArgumentException("no profile named '" + name + "'");
            }
            return next();
        }

        @Override
        public ConnectionStatus disconnect(String name) {
            requests.add("disconnect " + name);
            return next();
        }

        @Override
        public Optional<ConnectionStatus> status(String name) {
            return script.isEmpty() ? Optional.empty() : Optional.of(next());
        }

        @Override public List<ConnectionStatus> statusAll() { return all; }

        @Override
        public ConnectionStatus rekeyIkeSa(String name) {
            return rekey("rekey ike " + name);
        }

        @Override
        public ConnectionStatus rekeyChildSas(String name) {
            return rekey("rekey child " + name);
        }

        private ConnectionStatus rekey(String request) {
            requests.add(request);
            if (script.isEmpty()) {
                throw new IllegalArgumentException("no connection named 'nowhere'");
            }
            if (script.peek().state() != ConnectionState.CONNECTED) {
                throw new IllegalStateException("office is " + script.peek().state() + ", not CONNECTED: there is no SA to rekey");
            }
            return next();
        }
    }

    final FakeClock clock = new FakeClock();
    final ScriptedVpn vpn = new ScriptedVpn();
    final List<Duration> pauses = new ArrayList<>();
    final ConnectionCommands commands = new ConnectionCommands(vpn, clock, d -> {
        pauses.add(d);
        clock.now = clock.now.plus(d);
    });

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ChildSaStatus child() {
        return new ChildSaStatus(1, 0xc0000001, 0xd0000001, EncryptionAlgorithm.AES_GCM_16_256, IntegrityAlgorithm.NONE,
                false, true, List.of(TrafficSelector.parse("198.18.0.1/32")), List.of(TrafficSelector.parse("203.0.113.0/24")),
                840, 10, 2048, 11, Map.of(EspStatus.REPLAY, 2L), T0, T0.plus(Duration.ofMinutes(54)));
    }

    static ConnectionStatus connected() {
        return ConnectionStatus.builder("office").state(ConnectionState.CONNECTED).wanted(true)
                .gateway(new InetSocketAddress(ip("198.51.100.1"), 4500)).localAddress(new InetSocketAddress(ip("198.51.100.2"), 4500))
                .udpEncapsulated(true).ikeAlgorithms("AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE25519").interfaceName("mvpn0")
                .virtualIps(List.of(ip("198.18.0.1"))).dnsServers(List.of(ip("203.0.113.53")))
                .dnsDomains(List.of("corp.example", "lab.example")).childSas(List.of(child()))
                .handshakeDuration(Duration.ofMillis(42)).connectedSince(T0).takenAt(T0.plusSeconds(185)).build();
    }

    static ConnectionStatus state(String name, ConnectionState s) {
        return ConnectionStatus.builder(name).state(s).wanted(s != ConnectionState.DISABLED).build();
    }

    @Test
    void upWaitsUntilConnectedAndSaysWhere() throws Exception {
        vpn.script.add(state("office", ConnectionState.CONNECTING));
        vpn.script.add(state("office", ConnectionState.CONNECTING));
        vpn.script.add(connected());
        assertEquals("office: CONNECTED, virtual IP 198.18.0.1 on mvpn0 via 198.51.100.1:4500 (handshake 42 ms)",
                commands.up("office"));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), pauses);
    }

    @Test
    void upReportsTheFirstFailureInOneLineAndThatItKeepsTrying() {
        vpn.script.add(state("office", ConnectionState.CONNECTING));
        vpn.script.add(ConnectionStatus.builder("office").state(ConnectionState.RECONNECTING).wanted(true)
                .lastError(new ConnectionError(FailureReason.AUTH_FAILED, "the gateway refused our authentication",
                        T0.plusMillis(50)))
                .nextAttempt(T0.plusMillis(1100)).build());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.up("office"));
        assertEquals("office: not connected: AUTH_FAILED: the gateway refused our authentication; next attempt in 1 s"
                + " (it keeps trying; vpn:down office stops it)", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void anOldErrorOfAConnectionThatIsRetryingDoesNotCountAsTheOutcome() throws Exception {
        ConnectionStatus retrying = ConnectionStatus.builder("office").state(ConnectionState.RECONNECTING).wanted(true)
                .lastError(new ConnectionError(FailureReason.UNREACHABLE, "no answer", T0.minusSeconds(30))).build();
        vpn.script.add(retrying);
        vpn.script.add(connected());
        assertTrue(commands.up("office").startsWith("office: CONNECTED"));
    }

    @Test
    void upOfAnInvalidProfileFailsAtOnce() {
        vpn.script.add(ConnectionStatus.builder("office").state(ConnectionState.FAILED).wanted(true)
                .lastError(new ConnectionError(FailureReason.INVALID_PROFILE, "esp_proposals: unknown keyword 'foo'", T0))
                .build());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.up("office"));
        assertEquals("office: FAILED: INVALID_PROFILE: esp_proposals: unknown keyword 'foo'", e.getMessage());
    }

    @Test
    void upOfAnUnknownNamePassesTheManagersMessageOn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.up("nowhere"));
        assertEquals("no profile named 'nowhere'", e.getMessage());
    }

    @Test
    void upGivesUpWaitingAfterThirtySecondsButNotOnTheConnection() throws Exception {
        vpn.script.add(state("office", ConnectionState.CONNECTING));
        assertEquals("office: still CONNECTING after 30 s; it keeps trying (vpn:status office)", commands.up("office"));
        assertEquals(300, pauses.size());
    }

    @Test
    void downWaitsForTheGatewaysAnswer() throws Exception {
        vpn.script.add(state("office", ConnectionState.DISCONNECTING));
        vpn.script.add(state("office", ConnectionState.DISABLED));
        assertEquals("office: DISABLED, tunnel removed", commands.down("office"));
        assertEquals(List.of("disconnect office"), vpn.requests);
        assertEquals(1, pauses.size());
    }

    @Test
    void downOfAConnectionThatWasNotUpSaysJustThat() throws Exception {
        vpn.script.add(state("office", ConnectionState.DISABLED));
        assertEquals("office: DISABLED", commands.down("office"));
        assertEquals(List.of(), pauses);
    }

    @Test
    void downOfAConnectionThatIsForgottenAfterwardsStillSaysDisabled() throws Exception {
        vpn.script.add(state("office", ConnectionState.DISCONNECTING));
        ScriptedVpn forgetting = new ScriptedVpn() {
            @Override
            public Optional<ConnectionStatus> status(String name) {
                return Optional.empty();
            }
        };
        forgetting.script.add(state("office", ConnectionState.DISCONNECTING));
        ConnectionCommands c = new ConnectionCommands(forgetting, clock, d -> clock.now = clock.now.plus(d));
        assertEquals("office: DISABLED, tunnel removed", c.down("office"));
    }

    @Test
    void statusOfOneConnectionShowsAddressesTimingCountersAndChildSas() {
        vpn.script.add(connected());
        clock.now = T0.plusSeconds(185);
        String out = commands.status("office");
        assertTrue(out.startsWith("office\n  state        CONNECTED (kept up)\n"), out);
        assertTrue(out.contains("  gateway      198.51.100.1:4500\n"), out);
        assertTrue(out.contains("  NAT          none, ESP in UDP\n"), out);
        assertTrue(out.contains("  virtual IP   198.18.0.1\n"), out);
        assertTrue(out.contains("  DNS          203.0.113.53\n"), out);
        assertTrue(out.contains("  DNS domains  corp.example, lab.example\n"), out);
        assertTrue(out.contains("  handshake    42 ms\n"), out);
        assertTrue(out.contains("  uptime       3 min 05 s\n"), out);
        assertTrue(out.contains("  traffic in   10 packets, 840 B\n"), out);
        assertTrue(out.contains("  traffic out  11 packets, 2.0 KiB\n"), out);
        assertTrue(out.contains("  Child SAs:\n  NAME    ID  SPI IN    SPI OUT"), out);
        assertTrue(out.contains("c0000001  d0000001  AES_GCM_16-256 UDP  198.18.0.1  203.0.113.0..203.0.113.255"), out);
        assertTrue(out.contains("REPLAY=2"), out);
        assertTrue(out.contains("3 min 05 s  50 min 55 s"), out);
    }

    @Test
    void statusOfOneConnectionShowsTheUplinksPreferenceOnlyWhenTheProfileHasOne() {
        vpn.script.add(connected());
        assertFalse(commands.status("office").contains("uplinks"));
        org.mobilevpn.api.ike.IkeSessionConfig.Builder ike = org.mobilevpn.api.ike.IkeSessionConfig.builder("office")
                .localId(org.mobilevpn.api.ike.IkeIdentity.parse("client@vpn.test"))
                .psk(org.mobilevpn.api.ipsec.SecretBytes.copyOf("0123456789abcdef0123456789".getBytes()));
        VpnProfile office = VpnProfile.builder(ike).remoteAddrs(List.of(
                new org.mobilevpn.api.profile.GatewayAddress("198.51.100.1", 500))).uplinks(List.of("cell0", "wan0")).build();
        ProfileRegistry none = problemsOnly();
        commands.registry = new ProfileRegistry() {
            @Override public List<VpnProfile> profiles() { return List.of(office); }
            @Override public Optional<VpnProfile> profile(String name) {
                return name.equals("office") ? Optional.of(office) : Optional.empty();
            }
            @Override public List<ProfileProblem> problems() { return none.problems(); }
            @Override public List<ProfileProblem> problems(String name) { return none.problems(name); }
        };
        vpn.script.add(connected());
        String out = commands.status("office");
        assertTrue(out.matches("(?s).*\n  uplinks\\s+cell0, wan0 \\(preferred in this order\\)\n.*"), out);
    }

    @Test
    void statusOfAllIsOneAlignedLinePerConnection() {
        vpn.all = List.of(connected(), ConnectionStatus.builder("lab").state(ConnectionState.RECONNECTING).wanted(true)
                .lastError(new ConnectionError(FailureReason.UNREACHABLE, "no answer from 198.51.100.9", T0)).build());
        String[] lines = commands.status().split("\n");
        assertEquals(3, lines.length);
        assertEquals("NAME    STATE         GATEWAY            VIRTUAL IP  IN     OUT      UPTIME      LAST ERROR", lines[0]);
        assertEquals("office  CONNECTED     198.51.100.1:4500  198.18.0.1  840 B  2.0 KiB  3 min 05 s  -", lines[1]);
        assertEquals("lab     RECONNECTING  -                  -           -      -        -           "
                + "UNREACHABLE: no answer from 198.51.100.9", lines[2]);
    }

    @Test
    void listAndEmptyOutputsAreFriendly() {
        assertEquals("no connections (a profile is a file etc/org.mobilevpn.profile-NAME.cfg)", commands.list());
        assertEquals("no Child SAs installed", commands.sas());
        vpn.all = List.of(connected(), state("lab", ConnectionState.DISABLED));
        assertEquals("NAME    STATE      KEPT UP  LAST ERROR\noffice  CONNECTED  yes      -\nlab     DISABLED   no       -\n",
                commands.list());
    }

    /** A registry that knows only problems: the profiles they belong to never were valid. */
    static ProfileRegistry problemsOnly(ProfileProblem... problems) {
        return new ProfileRegistry() {
            @Override public List<VpnProfile> profiles() { return List.of(); }
            @Override public Optional<VpnProfile> profile(String name) { return Optional.empty(); }
            @Override public List<ProfileProblem> problems() { return List.of(problems); }
            @Override public List<ProfileProblem> problems(String name) {
                return List.of(problems).stream().filter(p -> p.profile().equals(name)).toList();
            }
        };
    }

    @Test
    void anInvalidProfileIsListedWithTheProblemsNamingTheirKeys() {
        commands.registry = problemsOnly(new ProfileProblem("broken", "remote_addrs", "'300.1.1.1' is not an IPv4 address"),
                new ProfileProblem("broken", "esp_proposals", "unknown algorithm 'aes999'"),
                new ProfileProblem("office", "psk", "too short")); // office runs on its previous version: not listed again
        vpn.all = List.of(connected());
        assertEquals("NAME    STATE      KEPT UP  LAST ERROR\n"
                + "office  CONNECTED  yes      -\n"
                + "broken  INVALID    no       remote_addrs: '300.1.1.1' is not an IPv4 address; "
                + "esp_proposals: unknown algorithm 'aes999'\n", commands.list());
        String all = commands.status();
        assertTrue(all.lines().anyMatch(l -> l.startsWith("broken  INVALID") && l.endsWith(
                "remote_addrs: '300.1.1.1' is not an IPv4 address; esp_proposals: unknown algorithm 'aes999'")), all);
        assertEquals("broken\n"
                + "  state    INVALID (no connection until the profile is fixed)\n"
                + "  problem  remote_addrs: '300.1.1.1' is not an IPv4 address\n"
                + "  problem  esp_proposals: unknown algorithm 'aes999'\n", commands.status("broken"));
        vpn.all = List.of();
        assertTrue(commands.list().contains("broken  INVALID"), "an invalid profile is not 'no connections'");
    }

    @Test
    void sasOfAnUnknownConnectionIsOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commands.sas("nowhere"));
        assertEquals("no connection named 'nowhere'", e.getMessage());
        vpn.script.add(state("office", ConnectionState.DISABLED));
        assertEquals("office: no Child SAs installed (DISABLED)", commands.sas("office"));
    }
    @Test
    void statusOfOneConnectionShowsIkeSpisAgesCountsLivenessAndARejectedUpdate() {
        vpn.script.add(connected().toBuilder().ikeSpiInitiator(0x1122334455667788L).ikeSpiResponder(0x99aabbccddeeff00L)
                .ikeEstablished(T0).ikeRekeyBy(T0.plus(Duration.ofHours(4))).livenessRtt(Duration.ofMillis(7))
                .handshakes(3).reconnects(2).profileProblem("esp_proposals: unknown algorithm 'aes999'").build());
        clock.now = T0.plusSeconds(185);
        String out = commands.status("office");
        assertTrue(out.contains("  IKE SPIs         1122334455667788_i 99aabbccddeeff00_r\n"), out);
        assertTrue(out.contains("  IKE SA age       3 min 05 s, rekeyed within 3 h 56 min\n"), out);
        assertTrue(out.contains("  liveness RTT     7 ms\n"), out);
        assertTrue(out.contains("  handshakes       3 (reconnects after failures: 2)\n"), out);
        assertTrue(out.contains("  rejected update  esp_proposals: unknown algorithm 'aes999' (running on the previous version)\n"),
                out);
    }

    static ConnectionStatus withIkeSpis(long spiI, long spiR) {
        return connected().toBuilder().ikeSpiInitiator(spiI).ikeSpiResponder(spiR).build();
    }

    @Test
    void rekeyWaitsUntilTheNewIkeSaTookOverAndShowsBothSpiPairs() throws Exception {
        vpn.script.add(withIkeSpis(0x1111L, 0x2222L));
        vpn.script.add(withIkeSpis(0x1111L, 0x2222L));
        vpn.script.add(withIkeSpis(0x3333L, 0x4444L));
        assertEquals("office: IKE SA rekeyed, SPIs 0000000000001111_i 0000000000002222_r -> 0000000000003333_i "
                + "0000000000004444_r", commands.rekey("office"));
        assertEquals(List.of("rekey ike office"), vpn.requests);
        assertEquals(2, pauses.size());

        vpn.script.clear();
        vpn.script.add(withIkeSpis(0x3333L, 0x4444L));
        vpn.script.add(withIkeSpis(0x5555L, 0x6666L));
        assertTrue(commands.rekey("--ike", "office").startsWith("office: IKE SA rekeyed, SPIs 0000000000003333_i"));
        assertEquals(List.of("rekey ike office", "rekey ike office"), vpn.requests);
    }

    @Test
    void rekeyChildWaitsUntilNoOldChildSaIsLeft() throws Exception {
        ChildSaStatus rekeyed = new ChildSaStatus(1, 0xc0000002, 0xd0000002, EncryptionAlgorithm.AES_GCM_16_256,
                IntegrityAlgorithm.NONE, false, true, child().localTs(), child().remoteTs(), 0, 0, 0, 0, Map.of(), T0,
                T0.plus(Duration.ofMinutes(54)));
        vpn.script.add(connected());
        vpn.script.add(connected());
        vpn.script.add(connected().toBuilder().childSas(List.of(rekeyed)).build());
        assertEquals("office: Child SA rekeyed, SPIs c0000001_i d0000001_o -> c0000002_i d0000002_o",
                commands.rekey("--child", "office"));
        assertEquals(List.of("rekey child office"), vpn.requests);
    }

    @Test
    void rekeyThatDoesNotFinishSaysSoAfterTenSeconds() throws Exception {
        vpn.script.add(withIkeSpis(0x1111L, 0x2222L));
        assertEquals("office: IKE SA rekey requested; not done after 10 s (vpn:events office shows when it is)",
                commands.rekey("office"));
        assertEquals(100, pauses.size());
    }

    @Test
    void rekeyDuringWhichTheConnectionFailsSaysWhy() {
        vpn.script.add(withIkeSpis(0x1111L, 0x2222L));
        vpn.script.add(ConnectionStatus.builder("office").state(ConnectionState.RECONNECTING).wanted(true)
                .lastError(new ConnectionError(FailureReason.PEER_GONE, "no answer from the gateway", T0)).build());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.rekey("office"));
        assertEquals("office: RECONNECTING during the IKE SA rekey: PEER_GONE: no answer from the gateway", e.getMessage());
    }

    @Test
    void rekeyOfBadInputIsAOneLineError() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> commands.rekey("nowhere"));
        assertEquals("no connection named 'nowhere'", unknown.getMessage());
        IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
                () -> commands.rekey("--all", "office"));
        assertEquals("unknown option '--all'; usage: vpn:rekey [--ike|--child] NAME", option.getMessage());
        vpn.script.add(state("office", ConnectionState.CONNECTING));
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> commands.rekey("--child", "office"));
        assertEquals("office is CONNECTING, not CONNECTED: there is no SA to rekey", down.getMessage());
        assertEquals(List.of("rekey ike nowhere", "rekey child office"), vpn.requests);
    }

    @Test
    void aDegradedConnectionSaysWhyInEveryCommand() throws Exception {
        ConnectionStatus degraded = connected().toBuilder().state(ConnectionState.DEGRADED).degradations(1)
                .degradation("12 packets out on Child SA c0000001_i d0000001_o and none in for 5.0 s; a new Child SA replaces it")
                .takenAt(T0.plusSeconds(185)).build();
        vpn.script.add(degraded);
        vpn.all = List.of(degraded);
        assertEquals("office: DEGRADED: 12 packets out on Child SA c0000001_i d0000001_o and none in for 5.0 s; a new Child"
                + " SA replaces it (vpn:status office)", commands.up("office"), "vpn:up does not wait for CONNECTED in vain");
        assertTrue(commands.list().contains("office  DEGRADED  yes"), commands.list());
        String all = commands.status();
        assertTrue(all.contains("office  DEGRADED ") && all.contains("3 min 05 s"), "uptime and counters of a tunnel that is up: " + all);
        String one = commands.status("office");
        assertTrue(one.contains("  state         DEGRADED (kept up)\n"), one);
        assertTrue(one.contains("  degraded      12 packets out on Child SA c0000001_i d0000001_o and none in for 5.0 s;"), one);
        assertTrue(one.contains("  degradations  1 (times CONNECTED turned DEGRADED)\n"), one);
        assertTrue(one.contains("  traffic out   "), one);
    }

    @Test
    void statusSaysWhichServiceAConnectionWaitsFor() {
        vpn.script.add(ConnectionStatus.builder("office").state(ConnectionState.CONNECTING).wanted(true)
                .waitingFor("DataPath").build());
        String out = commands.status("office");
        assertTrue(out.contains("  waiting for  the DataPath service (starts when it is there)\n"), out);
    }
}
