package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mobilevpn.systemtests.OfficeConnection.Office;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.SteadyPing;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * A long run of rekeys on the product's own path (issue 10): {@code rekey_time = 60s}, {@code child_rekey_time =
 * 20s}, liveness checks every {@code dpd_delay = 3s}, and 20 pings a second to the LAN host throughout. At the
 * end it must still be the connection of the start (one handshake, no PEER_GONE or RECONNECTING), the gateway
 * must hold one IKE SA with one Child SA, the ones the runtime shows, and the pings may have lost no more than
 * {@link RuntimeRekeyIT#MAX_LOSS} per ten rekeys.
 *
 * <p>Runs only when asked, for as many minutes as asked: {@code -Dmvpn.soak.minutes=30}, e.g.
 * {@code CI=true mvn -B -ntp verify -pl systemtests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=RuntimeRekeySoakIT -Dmvpn.soak.minutes=30}. Otherwise it is skipped with a message.
 */
@SystemTest(tag = "rtsoak", requires = {"java", "tun", "ping", "charon", "swanctl"})
class RuntimeRekeySoakIT {
    static final String MINUTES = "mvpn.soak.minutes";
    private static final Duration LOOK_EVERY = Duration.ofSeconds(5);

    @Test
    void rekeysEveryMinuteAndEveryTwentySecondsKeepTheConnectionAndTheTraffic(SystemTestContext ctx) throws IOException {
        String minutes = System.getProperty(MINUTES);
        assumeTrue(minutes != null && !minutes.isBlank(), "a soak run: set -D" + MINUTES + "=30 to run it");
        Duration length = Duration.ofMinutes(Long.parseLong(minutes.strip()));
        Office o = OfficeConnection.up(ctx, "dpd_delay = " + RuntimeRekeyIT.DPD_SECONDS + "s", "rekey_time = 60s",
                "child_rekey_time = 20s");
        long handshakes = RekeyChecks.handshakes(o.runtime());
        Set<String> ikeSpis = new HashSet<>();
        Set<String> childSpis = new HashSet<>();
        // vpn:events keeps the last 100 events: collected every few seconds, none is missed
        Set<String> events = new LinkedHashSet<>();
        // ping's icmp_seq has 16 bits: at most 60,000 requests in the whole run
        Duration interval = Collections.max(List.of(RuntimeRekeyIT.PING_INTERVAL, length.dividedBy(60_000)));
        SteadyPing.Result loss;
        long end = System.nanoTime() + length.toNanos();
        try (SteadyPing ping = SteadyPing.start(o.net().client(), TestNetwork.LAN_HOST_IP, interval)) {
            while (System.nanoTime() < end) {
                // the gateway's view every few seconds: each new SPI is a rekey it went through
                for (IkeSa sa : o.gw().listSas()) {
                    ikeSpis.add(sa.initiatorSpi() + sa.responderSpi());
                    sa.childSas().forEach(c -> childSpis.add(c.spiIn()));
                }
                events.addAll(eventLines(o));
                String status = o.runtime().execChecked("vpn:status office");
                assertTrue(status.matches("(?s).*state\\s+CONNECTED.*"), "after " + ping.running() + ":\n" + status);
                RekeyChecks.sleep(LOOK_EVERY);
            }
            loss = ping.stop();
        }
        events.addAll(eventLines(o));
        long ikeRekeys = events.stream().filter(l -> l.contains(" REKEYED ") && l.contains("IKE_SA_REKEYED")).count();
        long childRekeys = events.stream().filter(l -> l.contains(" REKEYED ") && l.contains("CHILD_SA_REKEYED")).count();
        System.out.println("RuntimeRekeySoakIT, " + length.toMinutes() + " min, a ping every " + interval.toMillis()
                + " ms: " + ikeRekeys + " IKE SA and " + childRekeys
                + " Child SA rekeys reported by the runtime; the gateway showed " + ikeSpis.size() + " IKE SAs and "
                + childSpis.size() + " Child SAs; pings " + loss);

        RekeyChecks.assertSameConnection(o.runtime(), handshakes);
        RekeyChecks.assertOneSaBothEndsAgree(o);
        // rekey_time 60 s and child_rekey_time 20 s, each jittered up to 10 % earlier: at least one of each per
        // period, less one for the period under way at the end
        long ikeExpected = length.toSeconds() / 60 - 1;
        long childExpected = length.toSeconds() / 20 - 1;
        assertTrue(ikeRekeys >= ikeExpected && ikeSpis.size() > ikeExpected, ikeRekeys + " IKE SA rekeys, "
                + ikeSpis.size() + " IKE SAs seen at the gateway; expected " + ikeExpected + " or more");
        assertTrue(childRekeys >= childExpected && childSpis.size() > childExpected, childRekeys + " Child SA rekeys, "
                + childSpis.size() + " Child SAs seen at the gateway; expected " + childExpected + " or more");
        assertEquals(List.of(), events.stream().filter(l -> l.contains("PEER_GONE") || l.contains("RECONNECTING")).toList(),
                "the connection was lost at some point");
        assertTrue(loss.lost() <= RuntimeRekeyIT.MAX_LOSS * (ikeRekeys + childRekeys) / 10,
                "lost more than " + RuntimeRekeyIT.MAX_LOSS + " per ten rekeys: " + loss);
        OfficeConnection.assertPing(o.net().client());
    }

    /** The rows of {@code vpn:events office}, spaces collapsed: the table's padding changes with its content. */
    private static List<String> eventLines(Office o) {
        return o.runtime().execChecked("vpn:events office").lines().skip(1).map(l -> l.strip().replaceAll("\\s+", " "))
                .toList();
    }
}
