package org.mobilevpn.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The standard system-test topology, addresses as DESIGN.md allows them:
 *
 * <pre>
 *  client ns "cli"              gateway ns "gw"                   LAN ns "lan"
 *  wan0 198.51.100.2/24  ---  wan0 198.51.100.1/24
 *       2001:db8:100::2/64          2001:db8:100::1/64
 *                                lan0 203.0.113.1/24    ---  eth0 203.0.113.2/24
 *                                     2001:db8:113::1/64          2001:db8:113::2/64
 * </pre>
 *
 * The client's default route points at the gateway; the gateway forwards (IPv4 and IPv6). The LAN host
 * routes only the virtual-IP pool 198.18.0.0/24 (and 2001:db8:18::/64) back via the gateway, so
 * plain-text client traffic to the LAN gets no answer: only tunnelled traffic, whose source is a virtual
 * IP, comes back.
 *
 * <p>{@link #withNat(String)} puts the client behind a NAT namespace "nat": client {@code eth0}
 * 198.19.0.2/24, NAT {@code in0} 198.19.0.1/24 and {@code wan0} 198.51.100.2/24 with an nftables
 * masquerade on wan0 (IPv4 only on the inside).
 *
 * <p>{@link #withClients(String, int)} puts several clients "cli1".."cliN" on one link: the gateway's
 * {@code wan0} is a bridge (198.51.100.1/24) and client i has {@code wan0} 198.51.100.(10+i)/24 (IPv4 only).
 */
public final class TestNetwork implements AutoCloseable {

    /** Client-gateway link ("internet"). */
    public static final String WAN_NET = "198.51.100.0/24";
    /** Gateway address on the client side. */
    public static final String GATEWAY_IP = "198.51.100.1";
    /** Client address in the standard topology (also the NAT's outside address). */
    public static final String CLIENT_IP = "198.51.100.2";
    /** LAN behind the gateway. */
    public static final String LAN_NET = "203.0.113.0/24";
    /** Gateway address in the LAN. */
    public static final String GATEWAY_LAN_IP = "203.0.113.1";
    /** The LAN host. */
    public static final String LAN_HOST_IP = "203.0.113.2";
    /** Virtual-IP pool the gateway hands out. */
    public static final String VIP_POOL = "198.18.0.0/24";
    /** Network behind the NAT. */
    public static final String NAT_INSIDE_NET = "198.19.0.0/24";
    /** NAT's inside address. */
    public static final String NAT_INSIDE_IP = "198.19.0.1";
    /** Client address behind the NAT. */
    public static final String NATTED_CLIENT_IP = "198.19.0.2";
    /** IPv6 gateway address on the client link. */
    public static final String GATEWAY_IP6 = "2001:db8:100::1";
    /** IPv6 client address (standard topology). */
    public static final String CLIENT_IP6 = "2001:db8:100::2";
    /** IPv6 gateway address in the LAN. */
    public static final String GATEWAY_LAN_IP6 = "2001:db8:113::1";
    /** IPv6 LAN host. */
    public static final String LAN_HOST_IP6 = "2001:db8:113::2";
    /** IPv6 virtual-IP pool the LAN host routes back to the gateway. */
    public static final String VIP_POOL6 = "2001:db8:18::/64";

    private final List<Netns> namespaces = new ArrayList<>();
    private final List<Netns> clients = new ArrayList<>();
    private Netns client;
    private Netns gateway;
    private Netns lan;
    private Netns nat;

    private TestNetwork() {
    }

    /**
     * Builds the standard topology with namespaces {@code mvpn-<tag>-cli}, {@code -gw}, {@code -lan}.
     *
     * @param tag namespace tag of the test class
     * @return the network; close it to remove everything
     */
    public static TestNetwork standard(String tag) {
        TestNetwork net = new TestNetwork();
        try {
            net.client = net.add(Netns.create(tag, "cli"));
            net.buildGatewayAndLan(tag);
            net.linkToGateway(net.client);
            net.client.address("wan0", CLIENT_IP + "/24").address("wan0", CLIENT_IP6 + "/64");
            net.client.route("default", GATEWAY_IP).route("default", GATEWAY_IP6);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Builds the topology with the client behind a masquerading NAT namespace {@code mvpn-<tag>-nat}.
     *
     * @param tag namespace tag of the test class
     * @return the network; close it to remove everything
     */
    public static TestNetwork withNat(String tag) {
        TestNetwork net = new TestNetwork();
        try {
            net.client = net.add(Netns.create(tag, "cli"));
            net.nat = net.add(Netns.create(tag, "nat"));
            net.buildGatewayAndLan(tag);
            net.client.veth("eth0", net.nat, "in0");
            net.client.address("eth0", NATTED_CLIENT_IP + "/24").route("default", NAT_INSIDE_IP);
            net.nat.address("in0", NAT_INSIDE_IP + "/24");
            net.linkToGateway(net.nat);
            net.nat.address("wan0", CLIENT_IP + "/24").forwarding(true);
            Nftables.apply(net.nat, """
                    table ip mvpn_nat {
                      chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "wan0" masquerade
                      }
                    }
                    """);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /**
     * Builds the topology with {@code count} clients {@code mvpn-<tag>-cli1..N} on a bridge in the gateway.
     *
     * @param tag namespace tag of the test class
     * @param count 1 to 9 clients
     * @return the network; {@link #clients()} lists them, {@link #client()} is the first
     */
    public static TestNetwork withClients(String tag, int count) {
        if (count < 1 || count > 9) {
            throw new IllegalArgumentException("1 to 9 clients");
        }
        TestNetwork net = new TestNetwork();
        try {
            net.buildGatewayAndLan(tag);
            net.gateway.ip("link", "add", "wan0", "type", "bridge");
            net.gateway.up("wan0").address("wan0", GATEWAY_IP + "/24");
            for (int i = 1; i <= count; i++) {
                Netns c = net.add(Netns.create(tag, "cli" + i));
                c.veth("wan0", net.gateway, "wan" + i);
                net.gateway.ip("link", "set", "wan" + i, "master", "wan0");
                c.address("wan0", clientIp(i) + "/24").route("default", GATEWAY_IP);
                net.clients.add(c);
            }
            net.client = net.clients.get(0);
            return net;
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The address of client {@code i} (1-based) of {@link #withClients(String, int)}. */
    public static String clientIp(int i) {
        return "198.51.100." + (10 + i);
    }

    private void buildGatewayAndLan(String tag) {
        gateway = add(Netns.create(tag, "gw"));
        lan = add(Netns.create(tag, "lan"));
        gateway.veth("lan0", lan, "eth0");
        gateway.forwarding(true);
        gateway.address("lan0", GATEWAY_LAN_IP + "/24").address("lan0", GATEWAY_LAN_IP6 + "/64");
        lan.address("eth0", LAN_HOST_IP + "/24").address("eth0", LAN_HOST_IP6 + "/64");
        lan.route(VIP_POOL, GATEWAY_LAN_IP).route(VIP_POOL6, GATEWAY_LAN_IP6);
    }

    /** Connects {@code peer}'s wan0 to the gateway's wan0 and addresses the gateway side. */
    private void linkToGateway(Netns peer) {
        peer.veth("wan0", gateway, "wan0");
        gateway.address("wan0", GATEWAY_IP + "/24").address("wan0", GATEWAY_IP6 + "/64");
    }

    private Netns add(Netns ns) {
        namespaces.add(ns);
        return ns;
    }

    /** @return the client namespace ("cli") */
    public Netns client() {
        return client;
    }

    /** @return the gateway namespace ("gw") */
    public Netns gateway() {
        return gateway;
    }

    /** @return the LAN host namespace ("lan") */
    public Netns lan() {
        return lan;
    }

    /** @return the clients of {@link #withClients(String, int)}, or the one client */
    public List<Netns> clients() {
        return clients.isEmpty() ? List.of(client) : List.copyOf(clients);
    }

    /** @return the NAT namespace, present only in the NAT variant */
    public Optional<Netns> nat() {
        return Optional.ofNullable(nat);
    }

    /** @return the client's own IPv4 address (198.51.100.2, or 198.19.0.2 behind NAT) */
    public String clientIp() {
        return nat == null ? CLIENT_IP : NATTED_CLIENT_IP;
    }

    /** @return the client's interface towards the gateway ({@code wan0}, or {@code eth0} behind NAT) */
    public String clientIfname() {
        return nat == null ? "wan0" : "eth0";
    }

    /** Removes all namespaces of this network (processes in them are killed). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                namespaces.get(i).close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        namespaces.clear();
        if (first != null) {
            throw first;
        }
    }
}
