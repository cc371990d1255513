package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mobilevpn.systemtests.OfficeConnection.Office;
import org.mobilevpn.testsupport.ChildSa;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;

/**
 * What a rekey must leave behind, seen from both ends: the same connection on our side (still CONNECTED, no
 * further handshake, no PEER_GONE or RECONNECTING event) and one IKE SA with one Child SA at the gateway
 * whose SPIs are the ones our runtime shows.
 */
final class RekeyChecks {
    private static final Pattern HANDSHAKES = Pattern.compile("handshakes\\s+(\\d+)");
    private static final Pattern IKE_SPIS = Pattern.compile("IKE SPIs\\s+([0-9a-f]{16})_i ([0-9a-f]{16})_r");
    /** A Child SA row of {@code vpn:sas}: NAME ID SPI-IN SPI-OUT ... */
    private static final Pattern SA_ROW = Pattern.compile("(?m)^office\\s+\\d+\\s+([0-9a-f]{8})\\s+([0-9a-f]{8})\\s");

    private RekeyChecks() {
    }

    /** @return the {@code handshakes} count of {@code vpn:status office} */
    static long handshakes(RuntimeProcess runtime) {
        String status = runtime.execChecked("vpn:status office");
        Matcher m = HANDSHAKES.matcher(status);
        assertTrue(m.find(), status);
        return Long.parseLong(m.group(1));
    }

    /**
     * The connection is the one that was there before: CONNECTED, no handshake since ({@code handshakes}
     * still {@code handshakesBefore}) and no event of a lost or rebuilt connection.
     */
    static void assertSameConnection(RuntimeProcess runtime, long handshakesBefore) {
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.matches("(?s).*state\\s+CONNECTED.*"), status);
        assertEquals(handshakesBefore, handshakes(runtime), "a new handshake happened:\n" + status);
        String events = runtime.execChecked("vpn:events office");
        assertFalse(events.contains("PEER_GONE"), events);
        assertFalse(events.contains("RECONNECTING"), events);
    }

    /** How many REKEYED events with this reason ({@code IKE_SA_REKEYED}, {@code CHILD_SA_REKEYED}) were seen. */
    static int rekeyEvents(RuntimeProcess runtime, String reason) {
        return (int) runtime.execChecked("vpn:events office").lines()
                .filter(l -> l.contains(" REKEYED ") && l.contains(reason)).count();
    }

    /**
     * Both ends agree: the gateway has exactly one IKE SA with exactly one Child SA, our {@code vpn:status}
     * shows that IKE SA's SPIs and our {@code vpn:sas} that Child SA (our inbound SPI is its outbound one). A
     * rekey under way (a timer's) shows two SAs for a moment: this waits up to 10 s for it to finish.
     *
     * @return the gateway's IKE SA
     */
    static IkeSa assertOneSaBothEndsAgree(Office o) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return oneSaBothEndsAgree(o);
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private static IkeSa oneSaBothEndsAgree(Office o) {
        IkeSa sa = OfficeConnection.single(o.gw().listSas());
        assertEquals("ESTABLISHED", sa.state(), sa.toString());
        assertEquals(1, sa.childSas().size(), sa.toString());
        ChildSa child = sa.child();
        String status = o.runtime().execChecked("vpn:status office");
        Matcher spis = IKE_SPIS.matcher(status);
        assertTrue(spis.find(), status);
        assertEquals(sa.initiatorSpi() + "/" + sa.responderSpi(), spis.group(1) + "/" + spis.group(2),
                "our IKE SA is the gateway's");
        List<String> ours = ourChildSas(o.runtime());
        assertEquals(List.of(child.spiOut() + "/" + child.spiIn()), ours, "our Child SAs (in/out) against the gateway's "
                + child);
        return sa;
    }

    /** Our Child SAs as {@code spiIn/spiOut}, from {@code vpn:sas office}. */
    static List<String> ourChildSas(RuntimeProcess runtime) {
        return SA_ROW.matcher(runtime.execChecked("vpn:sas office")).results().map(r -> r.group(1) + "/" + r.group(2))
                .toList();
    }

    /**
     * Waits until the gateway lists exactly one ESTABLISHED IKE SA with one INSTALLED Child SA that satisfies
     * {@code done} (e.g. other SPIs than before).
     *
     * @return that SA
     */
    static IkeSa awaitGatewaySa(StrongSwanGateway gw, Predicate<IkeSa> done, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<IkeSa> sas = gw.listSas();
        while (System.nanoTime() < deadline) {
            if (sas.size() == 1 && sas.get(0).state().equals("ESTABLISHED") && sas.get(0).childSas().size() == 1
                    && sas.get(0).child().state().equals("INSTALLED") && done.test(sas.get(0))) {
                return sas.get(0);
            }
            sleep(Duration.ofMillis(100));
            sas = gw.listSas();
        }
        throw new AssertionError("the gateway never showed " + what + " within " + timeout + ": " + sas);
    }

    /**
     * Liveness checks (empty INFORMATIONAL requests, RFC 7296 §2.4) the gateway received on one IKE SA so far,
     * from its log; it answers each.
     *
     * @param uniqueId the IKE SA's {@link IkeSa#uniqueId()}
     */
    static int livenessChecks(StrongSwanGateway gw, int uniqueId) {
        Pattern check = Pattern.compile("<rw\\|" + uniqueId + "> parsed INFORMATIONAL request \\d+ \\[ \\]");
        return (int) gw.log().lines().filter(l -> check.matcher(l).find()).count();
    }

    /** @return whether {@code sa} is another IKE SA than {@code before} (other SPIs) */
    static Predicate<IkeSa> ikeSaOtherThan(IkeSa before) {
        return sa -> !sa.initiatorSpi().equals(before.initiatorSpi()) && !sa.responderSpi().equals(before.responderSpi());
    }

    /** @return whether {@code sa} is the same IKE SA as {@code before} with another Child SA */
    static Predicate<IkeSa> childSaOtherThan(IkeSa before) {
        return sa -> sa.uniqueId() == before.uniqueId() && !sa.child().spiIn().equals(before.child().spiIn())
                && !sa.child().spiOut().equals(before.child().spiOut());
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
