package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.message.NotifyPayload;
import org.mobilevpn.ike.message.NotifyType;

/**
 * Hash algorithm negotiation for RFC 7427 signatures (RFC 7427 §4): SIGNATURE_HASH_ALGORITHMS in
 * IKE_SA_INIT with SHA2-256 (2), SHA2-384 (3), SHA2-512 (4); the gateway's list decides which hash we
 * sign with.
 */
final class SignatureHashTask implements Task {
    static final int SHA2_256 = 2;
    static final int SHA2_384 = 3;
    static final int SHA2_512 = 4;

    private final IkeSa sa;

    SignatureHashTask(IkeSa sa) {
        this.sa = sa;
    }

    @Override
    public void buildRequest(RequestBuilder request) {
        request.add(NotifyPayload.of(NotifyType.SIGNATURE_HASH_ALGORITHMS, new byte[] {0, SHA2_256, 0, SHA2_384, 0, SHA2_512}));
    }

    @Override
    public Outcome processResponse(ReceivedMessage response) {
        NotifyPayload n = response.message().notify(NotifyType.SIGNATURE_HASH_ALGORITHMS);
        sa.peerSignatureHashes.clear();
        if (n != null) {
            byte[] d = n.data();
            for (int i = 0; i + 1 < d.length; i += 2) {
                sa.peerSignatureHashes.add((d[i] & 0xff) << 8 | d[i + 1] & 0xff);
            }
        }
        return Outcome.DONE;
    }
}
