package org.mobilevpn.ike.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.NatState;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.OctetWriter;

/**
 * NAT detection (RFC 7296 §2.23): NAT_DETECTION_SOURCE_IP / _DESTINATION_IP hashes
 * SHA-1(SPIi | SPIr | IP | port) in IKE_SA_INIT. With {@code encap = yes} our source hash is faked so
 * the gateway sees a NAT and encapsulates ESP in UDP. If either side is behind a NAT (or encapsulation is
 * forced) the transport moves to port 4500 before IKE_AUTH.
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
        InetSocketAddress local = ctx.transport().localEndpoint();
        InetSocketAddress remote = ctx.transport().remoteEndpoint();
        byte[] source;
        if (ctx.config().encap()) {
            source = new byte[20];
            ctx.random().nextBytes(source);
        } else {
            source = hash(sa.spiI, 0, local);
        }
        request.add(NotifyPayload.of(NotifyType.NAT_DETECTION_SOURCE_IP, source));
        request.add(NotifyPayload.of(NotifyType.NAT_DETECTION_DESTINATION_IP, hash(sa.spiI, 0, remote)));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        List<NotifyPayload> sources = response.message().all(NotifyPayload.class).stream()
                .filter(n -> n.notifyType() == NotifyType.NAT_DETECTION_SOURCE_IP).toList();
        NotifyPayload destination = response.message().notify(NotifyType.NAT_DETECTION_DESTINATION_IP);
        if (sources.isEmpty() || destination == null) {
            sa.nat = NatState.none(); // the gateway does not do NAT-T; stay on our port
            return Outcome.DONE;
        }
        long spiR = response.message().header().responderSpi();
        byte[] expectedRemote = hash(sa.spiI, spiR, ctx.transport().remoteEndpoint());
        boolean remoteBehindNat = sources.stream().noneMatch(n -> MessageDigest.isEqual(n.data(), expectedRemote));
        boolean localBehindNat = !MessageDigest.isEqual(destination.data(),
                hash(sa.spiI, spiR, ctx.transport().localEndpoint()));
        sa.nat = new NatState(localBehindNat, remoteBehindNat, ctx.config().encap());
        if (sa.nat.udpEncapsulation() && !ctx.transport().isOnNatTraversalPort()) {
            try {
                ctx.transport().switchToNatTraversalPort();
            } catch (IOException e) {
                throw new IkeFailureException(FailureReason.UNREACHABLE, "cannot switch to port 4500: " + e.getMessage(), e);
            }
        }
        ctx.log().info(sa + " NAT: " + sa.nat + (ctx.transport().isOnNatTraversalPort() ? ", using port 4500" : ""));
        return Outcome.DONE;
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
