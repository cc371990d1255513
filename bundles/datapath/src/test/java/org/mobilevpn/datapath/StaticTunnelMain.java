package org.mobilevpn.datapath;

import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.TunnelConfig;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspTransformFactory;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.testsupport.TestLogger;
import org.mobilevpn.vnic.TunVirtualNicFactory;

/**
 * Bench/test mode: one data path with static SAs from a file (see {@link StaticSaFile}), on a
 * real TUN device, with the real esp and filter implementations, no IKE and no framework. Run in
 * a network namespace: {@code java -cp ... org.mobilevpn.datapath.StaticTunnelMain SA-FILE STATE-DIR}.
 * Prints {@code READY <dev>}; writes its counters to STATE-DIR/counters.txt every 200 ms and once
 * more at exit (SIGTERM), after closing tunnel, sockets and NIC.
 */
public final class StaticTunnelMain {
    public static void main(String[] args) throws Exception {
        StaticSaFile file;
        try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
            file = StaticSaFile.read(r);
        }
        Path state = Path.of(args[1]);
        Files.createDirectories(state);
        VirtualNicFactory nics = TunVirtualNicFactory.standalone(Path.of("/dev/net/tun"), state.resolve("resolv.conf"),
                state.resolve("vnic"), "mvpn", TestLogger.writingTo(new PrintWriter(System.err, true), false));
        EspTransformFactory esp = (EspTransformFactory) Class.forName("org.mobilevpn.esp.EspTransformFactoryComponent")
                .getConstructor().newInstance();
        SecurityPolicyDatabaseFactory spd = (SecurityPolicyDatabaseFactory) Class
                .forName(System.getProperty("mvpn.spd.factory", "org.mobilevpn.filter.SecurityPolicyDatabaseFactoryComponent"))
                .getConstructor().newInstance();

        VirtualNic nic = nics.open(file.vnicConfig());
        DataPathEngine engine = new DataPathEngine(esp, spd, null, 0, file.localPort());
        DataPathTunnel tunnel = engine.openTunnel(
                new TunnelConfig(nic, file.peer(), file.spd(), file.keepalive(), EspSaListener.NONE));
        try (EspSa in = file.sa(SaDirection.INBOUND); EspSa out = file.sa(SaDirection.OUTBOUND)) {
            tunnel.installSaPair(in, out); // the tunnel keeps its own key copies; ours are wiped here
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DataPathCounters last;
            synchronized (closing) { // the loop's last periodic write cannot land after ours with a closed tunnel's counters gone
                closing.set(true);
                last = engine.counters();
            }
            tunnel.close();
            engine.close();
            nic.close();
            write(state, last);
            System.out.println("CLOSED");
            done.countDown();
        }, "mvpn-dp-shutdown"));
        System.out.println("READY " + nic.name());
        System.out.flush();
        while (done.getCount() > 0) {
            synchronized (closing) {
                if (!closing.get()) {
                    write(state, engine.counters());
                }
            }
            Thread.sleep(Duration.ofMillis(200).toMillis());
        }
    }

    private static void write(Path state, DataPathCounters c) {
        try {
            Path tmp = state.resolve("counters.tmp");
            Files.writeString(tmp, CountersText.format(c));
            Files.move(tmp, state.resolve("counters.txt"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (Exception e) {
            System.err.println("counters: " + e);
        }
    }
}
