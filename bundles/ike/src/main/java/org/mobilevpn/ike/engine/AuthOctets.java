package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.message.IdPayload;

/**
 * The octets each side signs or MACs in IKE_AUTH (RFC 7296 §2.15):
 * InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload), and
 * ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload).
 */
final class AuthOctets {

    private AuthOctets() {
    }

    static byte[] initiatorSigned(IkeSa sa, IdPayload idi) {
        return concat(sa.initRequest, sa.nonceR, sa.crypto().prf.compute(sa.secrets().skPi(), idi.body()));
    }

    static byte[] responderSigned(IkeSa sa, IdPayload idr) {
        return concat(sa.initResponse, sa.nonceI, sa.crypto().prf.compute(sa.secrets().skPr(), idr.body()));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
