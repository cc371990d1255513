package org.mobilevpn.ike.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.OctetWriter;

/**
 * NAT detection (RFC 7296 §2.23): NAT_DETECTION_SOURCE_IP / _DESTINATION_IP hashes
 * SHA-1(SPIi | SPIr | IP | port) in IKE_SA_INIT. With {@code encap = yes} our source hash is faked so
 * the gateway sees a NAT and encapsulates ESP in UDP. If either side is behind a NAT (or encapsulation is
 * forced) the transport moves to port 4500 before IKE_AUTH; with MOBIKE offered it moves there in any case: a
 * NAT may appear after a move (RFC 4555 §3.5), and IKE_AUTH is the one place where the port may change without
 * one (RFC 7296 §2.23). The same notifications travel in MOBIKE's address updates ({@link #notifies},
 * {@link #evaluate}).
 */
final class NatDetectionTask implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;

    NatDetectionTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        notifies(ctx, sa.spiI, 0).forEach(request::add);
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        long spiR = response.message().header().responderSpi();
        NatState nat = evaluate(ctx, response.message(), sa.spiI, spiR, ctx.transport().localEndpoint());
        if (nat == null) {
            sa.nat = NatState.none(); // the gateway does not do NAT-T; stay on our port
            return Outcome.DONE;
        }
        sa.nat = nat;
        if ((sa.nat.udpEncapsulation() || ctx.config().mobike()) && !ctx.transport().isOnNatTraversalPort()) {
            try {
                ctx.transport().switchToNatTraversalPort();
            } catch (IOException e) {
                throw new IkeFailureException(FailureReason.UNREACHABLE, "cannot switch to port 4500: " + e.getMessage(), e);
            }
        }
        ctx.log().info(sa + " NAT: " + sa.nat + (ctx.transport().isOnNatTraversalPort() ? ", using port 4500" : ""));
        return Outcome.DONE;
    }

    /**
     * Our two notifications for the transport's current endpoints: the source hash faked when encapsulation is
     * forced ({@code encap = yes}), so the gateway sees a NAT.
     */
    static List<NotifyPayload> notifies(SessionContext ctx, long spiI, long spiR) {
        byte[] source;
        if (ctx.config().encap()) {
            source = new byte[20];
            ctx.random().nextBytes(source);
        } else {
            source = hash(spiI, spiR, ctx.transport().localEndpoint());
        }
        return List.of(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, source),
                NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, hash(spiI, spiR, ctx.transport().remoteEndpoint())));
    }

    /**
     * The NAT state the peer's notifications in {@code m} show, {@code null} when it sent none: a NAT in front of
     * us when its destination hash is not of {@code local}, a NAT in front of it when no source hash is of the
     * transport's remote endpoint.
     */
    static NatState evaluate(SessionContext ctx, IkeMessage m, long spiI, long spiR, InetSocketAddress local) {
        List<NotifyPayload> sources = m.all(NotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.NAT_DETECTION_SOURCE_IP).toList();
        NotifyPayload destination = m.notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
        if (sources.isEmpty() || destination == null) {
            return null;
        }
        byte[] expectedRemote = hash(spiI, spiR, ctx.transport().remoteEndpoint());
        boolean remoteBehindNat = sources.stream().noneMatch(n -> MessageDigest.isEqual(n.data(), expectedRemote));
        boolean localBehindNat = !MessageDigest.isEqual(destination.data(), hash(spiI, spiR, local));
        return new NatState(localBehindNat, remoteBehindNat, ctx.config().encap());
    }

    static byte[] hash(long spiI, long spiR, InetSocketAddress endpoint) {
        byte[] data = new OctetWriter(40).u64(spiI).u64(spiR).bytes(endpoint.getAddress().getAddress())
                .u16(endpoint.getPort()).toByteArray();
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is mandatory in every JRE", e);
        }
    }
}
