package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mobilevpn.systemtests.OfficeConnection.assertPing;
import static org.mobilevpn.systemtests.OfficeConnection.writeProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SwanctlConnection;
import org.mobilevpn.testsupport.SystemTest;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * Split DNS (RFC 8598, issue 13 item 5) through the runtime process against strongSwan: the gateway's attr plugin
 * sends INTERNAL_DNS_DOMAIN {@code corp.example} (attribute 25) beside its DNS server, and with {@code dns =
 * resolv_conf} the resolv.conf the runtime manages in the client namespace (the file {@code ip netns exec}
 * bind-mounts over /etc/resolv.conf, never the machine's own) searches that domain while the tunnel is up;
 * {@code vpn:down} puts the previous file back byte for byte.
 */
@SystemTest(tag = "splitdns", requires = {"java", "tun", "ping", "charon", "swanctl"})
class SplitDnsIT {
    /** The runtime's first start (JIT, bundle resolution) on 2 cores shared with other builds. */
    private static final Duration START = Duration.ofSeconds(90);
    /** Restoring the file is part of closing the NIC; the bound only has to cover a loaded machine. */
    private static final Duration RESTORED_WITHIN = Duration.ofSeconds(30);
    private static final String BEFORE = "# the namespace's own file\nnameserver 198.51.100.53\n";
    /** strongswan.conf: attr sends its numbered attributes to every client; a value that is no address as text. */
    private static final String ATTR_DNS_DOMAIN = """
              plugins {
                attr {
                  25 = corp.example
                }
              }
            """;

    @Test
    void theGatewaysDomainIsSearchedWhileUpAndGoneAfterDown(SystemTestContext ctx) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        Path resolv = net.client().resolvConf(); // before the runtime starts: ip netns exec mounts it then
        Files.writeString(resolv, BEFORE);
        String secret = ctx.tag() + "-" + System.nanoTime();
        ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build(), ATTR_DNS_DOMAIN));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(START);
        writeProfile(runtime, secret, "dns = resolv_conf");
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up);

        String managed = Files.readString(resolv);
        assertTrue(managed.contains("nameserver " + SwanctlConnection.DEFAULT_DNS + "\n"), managed);
        assertTrue(managed.contains("\nsearch corp.example\n"), managed);
        String status = runtime.execChecked("vpn:status office");
        assertTrue(status.contains("  DNS domains  corp.example\n"), status);
        assertPing(net.client());

        String down = runtime.execChecked("vpn:down office");
        assertTrue(down.contains("DISABLED"), down);
        long deadline = System.nanoTime() + RESTORED_WITHIN.toNanos();
        while (!Files.readString(resolv).equals(BEFORE) && System.nanoTime() < deadline) {
            sleep();
        }
        assertEquals(BEFORE, Files.readString(resolv), "the namespace's resolv.conf after vpn:down");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
