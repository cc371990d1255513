package org.mobilevpn.vnic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.vnic.KillSwitchRulesTest.ip;
import static org.mobilevpn.vnic.KillSwitchRulesTest.killSwitch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.KillSwitchPolicy;
import org.mobilevpn.api.vnic.VnicException;
import org.mobilevpn.testsupport.TestLogger;

class NftKillSwitchTest {
    @TempDir
    Path dir;

    /** Plays nft: remembers the last script it was given, answers listings, fails when told to. */
    final class FakeNft implements CommandRunner {
        final List<String> scripts = new ArrayList<>();
        String counters = "";
        boolean tableThere;
        boolean refuse;
        String recordSeenAtApply;

        @Override
        public Result run(List<String> command) throws IOException {
            if (command.contains("-f")) {
                Path file = Path.of(command.get(command.indexOf("-f") + 1));
                Path record = store.dir().resolve("office.policy");
                recordSeenAtApply = Files.exists(record) ? Files.readString(record) : null;
                if (refuse) {
                    return new Result(1, "Error: Operation not permitted");
                }
                String script = Files.readString(file);
                scripts.add(script);
                tableThere = script.contains("{");
                return new Result(0, "");
            }
            if (command.contains("counters")) {
                return tableThere ? new Result(0, counters) : new Result(1, "Error: No such file or directory");
            }
            if (command.contains("list")) {
                return new Result(tableThere ? 0 : 1, "");
            }
            throw new IOException("unexpected " + command);
        }
    }

    final TestLogger log = new TestLogger();
    final AtomicLong now = new AtomicLong();
    FakeNft nft;
    KillSwitchStore store;
    NftKillSwitch ks;

    @BeforeEach
    void setUp() {
        store = new KillSwitchStore(dir.resolve("killswitch"));
        nft = new FakeNft();
        ks = newInstance();
    }

    NftKillSwitch newInstance() {
        return newInstance("1000@2026-12-07T10:00:00Z");
    }

    /** @param runtime the runtime process, as {@link RuntimeProcessId} names it */
    NftKillSwitch newInstance(String runtime) {
        NftKillSwitch k = new NftKillSwitch("nft", "mvpn", store, nft, log, now::get, runtime);
        try {
            k.reconcile(); // as the component's activation does
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return k;
    }

    @Test
    void thePolicyIsWrittenDownBeforeTheKernelGetsItSoACrashInBetweenLosesNothing() throws VnicException {
        ks.apply("office", killSwitch());
        assertTrue(nft.recordSeenAtApply != null && nft.recordSeenAtApply.contains("kill_switch = true"), nft.recordSeenAtApply);
        assertTrue(nft.scripts.get(0).contains("counter name \"killswitch\" drop"));
        assertEquals(Set.of("office"), ks.installed());
        assertTrue(log.lines.get(0).startsWith("INFO kill switch of office engaged"), log.lines.toString());
    }

    @Test
    void aRefusedChangeKeepsThePreviousRulesAndRecord() throws VnicException {
        ks.apply("office", killSwitch());
        nft.refuse = true;
        VnicException e = assertThrows(VnicException.class, () -> ks.apply("office", killSwitch("203.0.113.0/24")));
        assertTrue(e.getMessage().contains("lacks CAP_NET_ADMIN"), e.getMessage());
        assertEquals(Optional.of(killSwitch()), ks.policy("office"));
        assertEquals(Optional.of(killSwitch()), Optional.of(KillSwitchStore.parse(
                readLines(store.dir().resolve("office.policy")))));
    }

    @Test
    void removalTakesTheRulesAndTheRecordAwayAndSaysWhy() throws VnicException {
        ks.apply("office", killSwitch());
        ks.remove("office", "vpn:down");
        assertEquals("table inet mobilevpn\ndelete table inet mobilevpn\n", nft.scripts.get(1));
        assertFalse(Files.exists(store.dir().resolve("office.policy")));
        assertEquals(Set.of(), ks.installed());
        assertTrue(log.lines.contains("INFO kill switch of office released: vpn:down"), log.lines.toString());
        int before = nft.scripts.size();
        ks.remove("office", "again");
        assertEquals(before, nft.scripts.size(), "nothing to remove: nft is not run");
    }

    @Test
    void aStartAfterACrashPutsTheKillSwitchBackWithoutTheTunnelAndDropsMerePinning() throws VnicException, IOException {
        ks.apply("office", killSwitch("0.0.0.0/0"));
        ks.apply("lab", new KillSwitchPolicy(false, List.of(ip("198.51.100.1")), List.of(500), List.of(),
                List.of(IpPrefix.parse("203.0.113.0/24"))));
        // the JVM dies here; the next one (the same process ID, as in a container) starts from the same directory
        NftKillSwitch next = newInstance("1000@2026-12-07T11:00:00Z");
        assertEquals(Set.of("office"), next.installed());
        assertEquals(Optional.of(killSwitch()), next.policy("office"));
        assertEquals(Set.of("office"), next.installed());
        assertFalse(Files.exists(store.dir().resolve("lab.policy")));
        String script = nft.scripts.get(nft.scripts.size() - 1);
        assertTrue(script.contains("counter name \"killswitch\" drop") && !script.contains("203.0.113.0/24"), script);
    }

    /**
     * An update of the vnic bundle: the tunnels go on (issue 11), so the next bundle's kill switch keeps the rules
     * whole, the tunnels' destinations included, instead of dropping them until the policy manager applies them again.
     */
    @Test
    void anUpdateOfTheVnicBundleInTheSameRuntimeKeepsThePinnedDestinations() throws VnicException, IOException {
        KillSwitchPolicy lab = new KillSwitchPolicy(false, List.of(ip("198.51.100.1")), List.of(500), List.of(),
                List.of(IpPrefix.parse("203.0.113.0/24")));
        ks.apply("lab", lab);
        NftKillSwitch next = newInstance();
        assertEquals(Optional.of(lab), next.policy("lab"));
        assertTrue(nft.scripts.get(nft.scripts.size() - 1).contains("203.0.113.0/24"), nft.scripts.toString());
        assertTrue(nft.scripts.stream().noneMatch(s -> s.contains("delete table") && !s.contains("{")),
                "the table was never left empty: " + nft.scripts);
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("kill switch of lab taken over from the previous vnic bundle")),
                log.lines.toString());
    }

    @Test
    void aTableNoRecordExplainsIsRemovedAtStart() throws IOException {
        nft.tableThere = true;
        newInstance();
        assertEquals("table inet mobilevpn\ndelete table inet mobilevpn\n", nft.scripts.get(0));
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("WARN kill switch: removed nftables table")), log.lines.toString());
    }

    @Test
    void dropsAddTheConnectionsOwnAndTheSharedCounterReadAtMostOncePerSecond() throws VnicException {
        ks.apply("office", killSwitch("203.0.113.0/24"));
        nft.counters = "table inet mobilevpn {\n\tcounter drop_office {\n\t\tpackets 5 bytes 420\n\t}\n"
                + "\tcounter killswitch {\n\t\tpackets 7 bytes 600\n\t}\n}\n";
        assertEquals(12, ks.droppedPackets("office"));
        nft.counters = nft.counters.replace("packets 7", "packets 70");
        assertEquals(12, ks.droppedPackets("office"), "served from the last read within a second");
        now.addAndGet(NftKillSwitch.COUNTER_CACHE_NANOS + 1);
        assertEquals(75, ks.droppedPackets("office"));
        assertEquals(-1, ks.droppedPackets("lab"));
    }

    @Test
    void aNameOutsideTheProfileNameRuleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ks.apply("x\"; flush ruleset", killSwitch()));
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
