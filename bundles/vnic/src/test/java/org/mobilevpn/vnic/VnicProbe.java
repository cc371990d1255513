package org.mobilevpn.vnic;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.mobilevpn.api.net.IpPrefix;
import org.mobilevpn.api.vnic.DnsStrategy;
import org.mobilevpn.api.vnic.VirtualNic;
import org.mobilevpn.api.vnic.VirtualNicFactory;
import org.mobilevpn.api.vnic.VnicConfig;
import org.mobilevpn.api.vnic.VnicException;
import org.mobilevpn.testsupport.TestLogger;

/**
 * A process the system test starts inside a namespace: opens a NIC (full tunnel, route,
 * managed resolv.conf), answers ICMP echo requests that the kernel routes into it, and closes on
 * the line "close" on stdin. Modes: {@code open STATE RESOLV}, {@code clean STATE RESOLV}. The lines "keep" and
 * "adopt" do what an update of the vnic bundle does in the runtime: the NIC is kept for the next bundle (its reader
 * goes on), then a new factory takes the device over, the reader moves to the new handle and the old one is let go.
 */
public final class VnicProbe {
    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[1]);
        Path resolv = Path.of(args[2]);
        VirtualNicFactory factory;
        try {
            factory = TunVirtualNicFactory.standalone(Path.of("/dev/net/tun"), resolv, state, "mvpn",
                    TestLogger.writingTo(new PrintWriter(System.err, true), false));
        } catch (Exception e) {
            System.out.println("ERROR " + e.getMessage());
            return;
        }
        if (args[0].equals("clean")) {
            System.out.println("CLEANED");
            return;
        }
        VnicConfig config = VnicConfig.builder()
                .address(IpPrefix.parse("198.18.0.7/32"))
                .address(IpPrefix.parse("2001:db8:18::7/128"))
                .mtu(1400)
                .route(IpPrefix.parse("203.0.113.0/24"))
                .fullTunnel(true)
                .gateway(InetAddress.getByName("198.51.100.1"))
                .dnsStrategy(DnsStrategy.RESOLV_CONF)
                .dnsServer(InetAddress.getByName("203.0.113.53"))
                .searchDomain("vpn.test")
                .build();
        LinuxVirtualNic nic;
        try {
            nic = (LinuxVirtualNic) factory.open(config);
        } catch (VnicException e) {
            System.out.println("ERROR " + e.getMessage());
            return;
        }
        Thread current = reflector(nic, "icmp-reflector");
        System.out.println("READY " + nic.name());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null && !line.equals("close")) {
            if (line.equals("reconfigure")) { // split tunnel now, another route, another DNS server
                nic.reconfigure(config.toBuilder().name(nic.name()).fullTunnel(false).route(IpPrefix.parse("198.19.0.0/24"))
                        .dnsServer(InetAddress.getByName("203.0.113.54")).build());
                System.out.println("RECONFIGURED");
                System.out.flush();
            }
            if (line.equals("routegw")) { // a split tunnel's connection pins the gateway on an uplink, then reconfigures
                nic.routeGateway(InetAddress.getByName("198.51.100.1"), "dummy0", InetAddress.getByName("198.51.100.129"));
                nic.reconfigure(nic.config().toBuilder().route(IpPrefix.parse("198.19.1.0/24")).build());
                System.out.println("ROUTED");
                System.out.flush();
            }
            if (line.equals("keep")) { // the leaving vnic bundle's deactivate
                nic.keep();
                System.out.println("KEPT");
                System.out.flush();
            }
            if (line.equals("adopt")) { // the next vnic bundle: a new factory, cleaning at its start, asked for the name
                VirtualNicFactory next = TunVirtualNicFactory.standalone(Path.of("/dev/net/tun"), resolv, state, "mvpn",
                        TestLogger.writingTo(new PrintWriter(System.err, true), false));
                LinuxVirtualNic taken = (LinuxVirtualNic) next.open(config.toBuilder().name(nic.name()).build());
                nic.wakeup();
                current.join();
                current = reflector(taken, "icmp-reflector-adopted");
                nic.close();
                nic = taken;
                System.out.println("ADOPTED");
                System.out.flush();
            }
            if (line.equals("restart")) { // a reader stopped by wakeup, a new one reads on
                nic.wakeup();
                current.join();
                current = reflector(nic, "icmp-reflector-2");
                System.out.println("RESTARTED");
                System.out.flush();
            }
        }
        nic.wakeup();
        current.join();
        nic.close();
        System.out.println("CLOSED");
    }

    private static Thread reflector(VirtualNic nic, String name) {
        Thread t = new Thread(() -> reflect(nic), name);
        t.start();
        return t;
    }

    /** Turns each IPv4 ICMP echo request into the reply, addresses swapped, back into the NIC. */
    private static void reflect(VirtualNic nic) {
        ByteBuffer b = ByteBuffer.allocateDirect(65536);
        try {
            while (true) {
                b.clear();
                int n = nic.read(b);
                if (n < 0) {
                    return;
                }
                int ihl = (b.get(0) & 0x0f) * 4;
                if ((b.get(0) >> 4) != 4 || b.get(9) != 1 || b.get(ihl) != 8) {
                    continue;
                }
                for (int i = 0; i < 4; i++) {
                    byte s = b.get(12 + i);
                    b.put(12 + i, b.get(16 + i));
                    b.put(16 + i, s);
                }
                b.put(ihl, (byte) 0);
                // RFC 1624 incremental update: the type word dropped by 0x0800.
                int sum = (~b.getShort(ihl + 2) & 0xffff) + (~0x0800 & 0xffff);
                sum = (sum & 0xffff) + (sum >>> 16);
                b.putShort(ihl + 2, (short) ~sum);
                b.flip();
                nic.write(b);
            }
        } catch (Exception e) {
            System.out.println("REFLECTOR " + e);
        }
    }
}
