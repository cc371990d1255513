package org.mobilevpn.ike.engine;

import java.util.Arrays;
import java.util.List;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.AuthMethod;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.ike.message.AuthPayload;
import org.mobilevpn.ike.message.CertPayload;
import org.mobilevpn.ike.message.EapPayload;
import org.mobilevpn.ike.message.IdPayload;
import org.mobilevpn.ike.message.IkeMessage;
import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;
import org.mobilevpn.ike.message.PayloadType;

/**
 * Mutual authentication in IKE_AUTH (RFC 7296 §1.2, §2.15): IDi, our certificates, INITIAL_CONTACT,
 * CERTREQ for our CAs, IDr when configured, and AUTH by PSK or signature; then checks the gateway's IDr
 * and AUTH. The gateway must authenticate with a certificate when CA certificates are configured,
 * otherwise with the PSK. Reports the IKE SA established.
 */
final class IkeAuthTask implements Task {
    private final SessionContext ctx;
    private final IkeSa sa;

    IkeAuthTask(SessionContext ctx, IkeSa sa) {
        this.ctx = ctx;
        this.sa = sa;
    }

    @Override
    public void buildRequest(RequestBuilder request) throws IkeFailureException {
        IdPayload idi = IdPayload.of(true, ctx.config().localId());
        request.add(idi);
        boolean pubkey = ctx.config().auth() == AuthMethod.PUBKEY;
        if (pubkey) {
            for (java.security.cert.X509Certificate c : ctx.config().certificateChain()) {
                request.add(new CertPayload(CertPayload.X509_SIGNATURE, CertificateAuth.encoded(c)));
            }
        }
        request.add(NotifyPayload.of(NotifyType.INITIAL_CONTACT));
        if (!ctx.config().caCertificates().isEmpty()) {
            request.add(CertificateAuth.certificateRequest(ctx.config().caCertificates()));
        }
        if (ctx.config().remoteId() != null) {
            request.add(IdPayload.of(false, ctx.config().remoteId()));
        }
        byte[] signed = AuthOctets.initiatorSigned(sa, idi);
        if (pubkey) {
            request.add(CertificateAuth.sign(ctx.signatures(), ctx.config().privateKey(), sa.peerSignatureHashes, signed));
        } else {
            byte[] psk = pskOctets();
            try {
                request.add(new AuthPayload(AuthPayload.SHARED_KEY_MIC, PskAuthenticator.authData(sa.crypto().prf, psk, signed)));
            } finally {
                Arrays.fill(psk, (byte) 0);
            }
        }
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) throws IkeFailureException {
        IkeMessage m = response.message();
        if (m.notify(NotifyType.AUTHENTICATION_FAILED) != null) {
            throw new IkeFailureException(FailureReason.AUTH_FAILED, "the gateway rejected our authentication");
        }
        if (m.first(EapPayload.class) != null) {
            throw new IkeFailureException(FailureReason.AUTH_FAILED, "the gateway asks for EAP, which is not supported");
        }
        IdPayload idr = (IdPayload) m.first(PayloadType.IDR);
        AuthPayload auth = m.first(AuthPayload.class);
        if (idr == null || auth == null) {
            NotifyPayload error = m.firstError();
            if (error != null) {
                throw NotifyErrors.failure(error.notifyType(), "IKE_AUTH");
            }
            throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED, "IKE_AUTH response lacks IDr or AUTH");
        }
        IkeIdentity peerId = idr.identity();
        IkeIdentity expected = ctx.config().remoteId();
        if (peerId == null || expected != null && !expected.equals(peerId)) {
            throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED,
                    "gateway identifies as " + peerId + ", expected " + expected);
        }
        byte[] signed = AuthOctets.responderSigned(sa, idr);
        boolean certificatesRequired = !ctx.config().caCertificates().isEmpty();
        if (auth.method() == AuthPayload.SHARED_KEY_MIC) {
            byte[] psk = pskOctets();
            if (certificatesRequired || psk == null) {
                throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED,
                        "gateway authenticated with a PSK, but a certificate is required");
            }
            try {
                if (!PskAuthenticator.verify(sa.crypto().prf, psk, signed, auth.data())) {
                    throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED, "gateway's PSK AUTH does not verify");
                }
            } finally {
                Arrays.fill(psk, (byte) 0);
            }
        } else {
            if (!certificatesRequired) {
                throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED,
                        "gateway authenticated with a signature, but no CA certificate is configured");
            }
            List<CertPayload> certs = m.all(CertPayload.class);
            CertificateAuth.verify(ctx.signatures(), ctx.validatedChains(), ctx.config().caCertificates(), certs, peerId, auth, signed);
        }
        sa.remoteId = peerId;
        sa.moveTo(IkeSaState.ESTABLISHED);
        ctx.log().info(sa + " established: " + ctx.config().localId() + " <-> " + peerId);
        ctx.events().ikeSaEstablished(sa.toInfo(ctx.transport().localEndpoint(), ctx.transport().remoteEndpoint(),
                ctx.config().localId()));
        return Outcome.DONE;
    }

    @Override
    public void completed() {
        ctx.ikeSaAuthenticated(sa);
    }

    /** The configured PSK as octets the caller wipes, or {@code null} without one. */
    private byte[] pskOctets() {
        try (SecretBytes psk = ctx.config().psk()) {
            return psk == null ? null : psk.toByteArray();
        }
    }
}
