package org.mobilevpn.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mobilevpn.testsupport.CommandResult;
import org.mobilevpn.testsupport.IkeSa;
import org.mobilevpn.testsupport.Netns;
import org.mobilevpn.testsupport.RuntimeProcess;
import org.mobilevpn.testsupport.StrongSwanGateway;
import org.mobilevpn.testsupport.SwanctlConf;
import org.mobilevpn.testsupport.SystemTestContext;
import org.mobilevpn.testsupport.TestNetwork;

/**
 * The connection the runtime's system tests bring up: profile {@code office} toward test-support's
 * strongSwan gateway, and the checks every such test makes around it.
 */
public final class OfficeConnection {

    private OfficeConnection() {
    }

    /** A test's standard network, strongSwan gateway and runtime, with the office connection up. */
    public record Office(TestNetwork net, StrongSwanGateway gw, RuntimeProcess runtime) {
    }

    /**
     * Builds the standard network, starts the gateway (PSK) and the runtime, writes the profile and brings
     * it up with {@code vpn:up office}; everything is registered with {@code ctx} for cleanup.
     *
     * @param overrides profile lines as in {@link #writeProfile}
     */
    public static Office up(SystemTestContext ctx, String... overrides) throws IOException {
        TestNetwork net = ctx.standardNetwork();
        String secret = ctx.tag() + "-" + System.nanoTime();
        StrongSwanGateway gw = ctx.register(StrongSwanGateway.start(net.gateway(), SwanctlConf.gatewayPsk(secret).build()));
        RuntimeProcess runtime = ctx.register(RuntimeProcess.start(net.client(), ctx.outputDir("runtime")));
        runtime.awaitHealthy(Duration.ofSeconds(90));
        writeProfile(runtime, secret, overrides);
        runtime.awaitOutput("vpn:list", "office", Duration.ofSeconds(30));
        String up = runtime.execChecked("vpn:up office");
        assertTrue(up.startsWith("office: CONNECTED"), up + "\nruntime log:\n" + runtime.log());
        return new Office(net, gw, runtime);
    }

    /**
     * Writes {@code etc/org.mobilevpn.profile-office.cfg} the way an operator deploys it (atomically).
     *
     * @param overrides lines {@code key = value} that replace or add to the defaults (PSK auth, a virtual
     *                  IP, the LAN as remote_ts, {@code encap = true} because the gateway's
     *                  kernel-libipsec always encapsulates); {@code key =} with nothing after it leaves
     *                  the key out
     */
    public static void writeProfile(RuntimeProcess runtime, String secret, String... overrides) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("name", "office");
        keys.put("remote_addrs", TestNetwork.GATEWAY_IP);
        keys.put("local_id", StrongSwanGateway.CLIENT_ID);
        keys.put("remote_id", StrongSwanGateway.GATEWAY_ID);
        keys.put("psk", secret);
        keys.put("vips", "0.0.0.0");
        keys.put("remote_ts", TestNetwork.LAN_NET);
        keys.put("encap", "true");
        for (String line : overrides) {
            String[] kv = line.split("=", 2);
            if (kv[1].isBlank()) {
                keys.remove(kv[0].strip());
            } else {
                keys.put(kv[0].strip(), kv[1].strip());
            }
        }
        StringBuilder text = new StringBuilder();
        keys.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
        Path draft = Files.writeString(runtime.etc().resolve("office.draft"), text);
        Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------")); // it holds the PSK
        RuntimeProcess.replaceAtomically(draft, runtime.etc().resolve("org.mobilevpn.profile-office.cfg"));
    }

    /** Three pings from the client to the LAN host behind the gateway, all answered. */
    public static void assertPing(Netns client) {
        assertPing(client, 3, "");
    }

    /** {@code count} pings to the LAN host, all answered; {@code context} is shown when not. */
    public static void assertPing(Netns client, int count, String context) {
        assertPing(client, TestNetwork.LAN_HOST_IP, count, context);
    }

    /** {@code count} pings to {@code address}, all answered; {@code context} is shown when not. */
    public static void assertPing(Netns client, String address, int count, String context) {
        CommandResult ping = client.exec(Duration.ofSeconds(30), "ping", "-c", String.valueOf(count), "-i", "0.2",
                "-W", "5", address);
        assertTrue(ping.stdout().contains(count + " received"), ping.stdout() + ping.stderr() + context);
    }

    /** Waits until the gateway lists no IKE SA (our DELETE arrived), at most {@code timeout}. */
    public static void awaitNoSa(StrongSwanGateway gw, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<IkeSa> sas = gw.listSas();
        while (!sas.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            sas = gw.listSas();
        }
        assertEquals(List.of(), sas, "the gateway still has the SA after our DELETE");
    }

    /** The only IKE SA the gateway lists. */
    public static IkeSa single(List<IkeSa> sas) {
        assertEquals(1, sas.size(), sas.toString());
        return sas.get(0);
    }

    /**
     * After a rekey of {@code before}: the gateway's only IKE SA once the old one is gone (while the rekey's DELETE
     * runs, the gateway lists both, the old one DELETING), which must be another than {@code before}.
     */
    public static IkeSa awaitRekeyed(StrongSwanGateway gw, IkeSa before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<IkeSa> sas = gw.listSas();
        while ((sas.size() != 1 || sas.get(0).initiatorSpi().equals(before.initiatorSpi()))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            sas = gw.listSas();
        }
        IkeSa rekeyed = single(sas);
        assertNotEquals(before.initiatorSpi(), rekeyed.initiatorSpi(), "the IKE SA was rekeyed: " + sas);
        return rekeyed;
    }
}
