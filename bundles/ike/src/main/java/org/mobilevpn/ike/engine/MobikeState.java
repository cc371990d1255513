package org.mobilevpn.ike.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.List;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.esp.UdpEncapsulation;

/**
 * What MOBIKE (RFC 4555) knows of one session, across IKE SA rekeys (RFC 4555 §3.1: support is agreed once, in
 * IKE_AUTH): whether both sides agreed, the gateway's additional addresses (§3.4), and where the last authenticated
 * message came from. Starting a move (§3.5) is here too: the transport takes the new addresses at once, a request
 * in flight goes out again over them, and an address update goes first in the queue.
 */
final class MobikeState {
    private final SessionContext ctx;
    /** Both sides sent MOBIKE_SUPPORTED in IKE_AUTH. */
    private boolean agreed;
    private List<InetAddress> gatewayAddresses = List.of();
    private InetSocketAddress lastAuthenticatedSource;
    /** The gateway's NAT_DETECTION_DESTINATION_IP at our last address update, and the IKE SA whose SPIs it hashes. */
    private byte[] mappingHash;
    private IkeSa mappingSa;

    MobikeState(SessionContext ctx) {
        this.ctx = ctx;
    }

    boolean agreed() {
        return agreed;
    }

    void agreed(boolean both) {
        agreed = both;
    }

    List<InetAddress> gatewayAddresses() {
        return gatewayAddresses;
    }

    /** The gateway announced its other addresses (the whole list, RFC 4555 §3.4). */
    void gatewayAddresses(List<InetAddress> additional) {
        gatewayAddresses = List.copyOf(additional);
        ctx.log().info("session " + ctx.config().name() + ": the gateway's other addresses " + gatewayAddresses);
        ctx.events().gatewayAddresses(gatewayAddresses);
    }

    /** Where the last message that passed its integrity check came from. */
    InetSocketAddress lastAuthenticatedSource() {
        return lastAuthenticatedSource;
    }

    void authenticatedFrom(InetSocketAddress from) {
        lastAuthenticatedSource = from;
    }

    /** Whether {@code destinationHash} (from the gateway's answer on {@code sa}) shows the mapping it last agreed to. */
    boolean sameMapping(IkeSa sa, byte[] destinationHash) {
        return sa == mappingSa && MessageDigest.isEqual(destinationHash, mappingHash);
    }

    /** Whether the gateway answered an address update on {@code sa} with its view of our mapping. */
    boolean mappingKnown(IkeSa sa) {
        return sa == mappingSa;
    }

    /** The gateway answered an address update on {@code sa}: {@code destinationHash} is the mapping it now uses. */
    void mappingAgreed(IkeSa sa, byte[] destinationHash) {
        mappingSa = sa;
        mappingHash = destinationHash.clone();
    }

    /**
     * Starts a move of the current IKE SA to {@code local} -> {@code remote} (RFC 4555 §3.5); the listener hears
     * {@code moveImpossible} when MOBIKE was not agreed.
     *
     * @param manager the current IKE SA's exchanges
     */
    void move(IkeSa sa, ExchangeManager manager, InetAddress local, InetAddress remote) {
        if (sa == null) {
            ctx.events().moveImpossible("the IKE SA is not established yet");
            return;
        }
        if (!agreed) {
            ctx.events().moveImpossible(ctx.config().mobike() ? "the gateway did not agree to MOBIKE in IKE_AUTH"
                    : "mobike = no");
            return;
        }
        IkeTransport t = ctx.transport();
        InetSocketAddress before = t.remoteEndpoint();
        t.setLocalAddress(local);
        if (!remote.equals(before.getAddress())) {
            // another address of the gateway: its NAT traversal port (a NAT-mapped port belongs to the old address)
            t.setRemoteEndpoint(new InetSocketAddress(remote, UdpEncapsulation.NAT_T_PORT));
        }
        ctx.log().info(sa + " moving to " + t.localEndpoint() + " -> " + t.remoteEndpoint());
        manager.resendActive(); // a request in flight goes on over the new addresses (RFC 4555 §3.5)
        if (!manager.queued(task -> task instanceof MobikeUpdateTask)) {
            manager.queueFirst(MobikeUpdateTask.exchange(ctx, sa));
        }
    }
}
