package org.mobilevpn.ike.engine;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.PeerText;
import org.mobilevpn.ike.message.ConfigAttribute;
import org.mobilevpn.ike.message.ConfigPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * Configuration payload exchange in IKE_AUTH (RFC 7296 §2.19, §3.15): asks for a virtual address per
 * configured {@code vips} entry (a specific one, or any for 0.0.0.0 / ::), its DNS servers and its split DNS
 * domains (INTERNAL_DNS_DOMAIN, RFC 8598 §3, checked by {@link InternalDnsDomain}), and
 * records what the gateway assigns, as far as {@link AssignedAddresses} allows: a virtual IP it refuses fails the
 * connection (INTERNAL_ADDRESS_FAILURE), a DNS server it refuses is left out with a warning.
 */
final class ConfigRequestTask implements Task {
    /** resolv.conf(5)'s classic limit on search domains, also a bound on what a gateway can make us store. */
    static final int MAX_DNS_DOMAINS = 6;
    private final SessionContext ctx;
    private final IkeSa sa;

    ConfigRequestTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        List<InetAddress> vips = ctx.config().vips();
        if (vips.isEmpty()) {
            return;
        }
        List<ConfigAttribute> attributes = new ArrayList<>();
        boolean v4 = false;
        boolean v6 = false;
        for (InetAddress vip : vips) {
            boolean any = vip.isAnyLocalAddress();
            if (vip instanceof Inet4Address) {
                v4 = true;
                attributes.add(any ? ConfigAttribute.empty(ConfigAttribute.INTERNAL_IP4_ADDRESS)
                        : new ConfigAttribute(ConfigAttribute.INTERNAL_IP4_ADDRESS, vip.getAddress()));
            } else {
                v6 = true;
                byte[] value = new byte[17];
                if (!any) {
                    System.arraycopy(vip.getAddress(), 0, value, 0, 16);
                    value[16] = (byte) 128;
                }
                attributes.add(any ? ConfigAttribute.empty(ConfigAttribute.INTERNAL_IP6_ADDRESS)
                        : new ConfigAttribute(ConfigAttribute.INTERNAL_IP6_ADDRESS, value));
            }
        }
        if (v4) {
            attributes.add(ConfigAttribute.empty(ConfigAttribute.INTERNAL_IP4_DNS));
        }
        if (v6) {
            attributes.add(ConfigAttribute.empty(ConfigAttribute.INTERNAL_IP6_DNS));
        }
        attributes.add(ConfigAttribute.empty(ConfigAttribute.INTERNAL_DNS_DOMAIN)); // RFC 8598 §3: we can use split DNS
        request.add(new ConfigPayload(ConfigPayload.CFG_REQUEST, attributes));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        if (ctx.config().vips().isEmpty()) {
            return Outcome.DONE;
        }
        if (response.message().notify(NotifyType.INTERNAL_ADDRESS_FAILURE) != null
                || response.message().notify(NotifyType.FAILED_CP_REQUIRED) != null) {
            throw new IkeFailureException(FailureReason.INTERNAL_ADDRESS_FAILURE, "gateway has no virtual IP for us");
        }
        ConfigPayload cp = response.message().first(ConfigPayload.class);
        if (cp != null && cp.configType() == ConfigPayload.CFG_REPLY) {
            InetAddress ours = ctx.transport().localEndpoint().getAddress();
            InetAddress gateway = ctx.transport().remoteEndpoint().getAddress();
            for (ConfigAttribute a : cp.attributes()) {
                if (a.type() == ConfigAttribute.INTERNAL_DNS_DOMAIN) {
                    addDnsDomain(a.value());
                    continue;
                }
                InetAddress address = a.address();
                if (address == null) {
                    continue;
                }
                switch (a.type()) {
                    case ConfigAttribute.INTERNAL_IP4_ADDRESS:
                    case ConfigAttribute.INTERNAL_IP6_ADDRESS: {
                        String problem = AssignedAddresses.problem(address, a.type() == ConfigAttribute.INTERNAL_IP6_ADDRESS,
                                ours, gateway);
                        if (problem != null) {
                            throw new IkeFailureException(FailureReason.INTERNAL_ADDRESS_FAILURE, "refused the virtual IP "
                                    + address.getHostAddress() + " the gateway assigned: it is " + problem);
                        }
                        sa.virtualIps.add(address);
                        break;
                    }
                    case ConfigAttribute.INTERNAL_IP4_DNS:
                    case ConfigAttribute.INTERNAL_IP6_DNS: {
                        String problem = AssignedAddresses.problem(address, a.type() == ConfigAttribute.INTERNAL_IP6_DNS,
                                ours, gateway);
                        if (problem != null) {
                            ctx.log().warn(sa + " ignored the DNS server " + address.getHostAddress()
                                    + " the gateway assigned: it is " + problem);
                        } else {
                            sa.dnsServers.add(address);
                        }
                        break;
                    }
                    default:
                        break;
                }
            }
        }
        if (sa.virtualIps.isEmpty()) {
            throw new IkeFailureException(FailureReason.INTERNAL_ADDRESS_FAILURE, "gateway assigned no virtual IP (vips = "
                    + ctx.config().vips() + ")");
        }
        ctx.log().info(sa + " virtual IP " + sa.virtualIps + ", DNS " + sa.dnsServers
                + (sa.dnsDomains.isEmpty() ? "" : ", DNS domains " + sa.dnsDomains));
        return Outcome.DONE;
    }

    /** Keeps a valid INTERNAL_DNS_DOMAIN once; a bad one is left out with a warning, as a bad DNS server is. */
    private void addDnsDomain(byte[] value) {
        String domain;
        try {
            domain = InternalDnsDomain.parse(value);
        } catch (IllegalArgumentException e) {
            ctx.log().warn(sa + " ignored the DNS domain " + PeerText.of(new String(value, StandardCharsets.ISO_8859_1))
                    + " the gateway assigned: " + e.getMessage());
            return;
        }
        if (sa.dnsDomains.size() >= MAX_DNS_DOMAINS) {
            ctx.log().warn(sa + " ignored the DNS domain " + domain + ": more than " + MAX_DNS_DOMAINS + " assigned");
        } else if (!sa.dnsDomains.contains(domain)) {
            sa.dnsDomains.add(domain);
        }
    }
}
