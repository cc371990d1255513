package org.mobilevpn.webconsole;

import java.time.Duration;
import java.time.Instant;

/**
 * The IKE SA of a connection. Null fields are not known (no tunnel, or not reported by the api).
 *
 * @param algorithms        e.g. {@code AES_GCM_16-256/PRF_HMAC_SHA2_384/CURVE25519}
 * @param spis              {@code initiatorSPI_i responderSPI_r} in hex, or null
 * @param established       when the current IKE SA was established (or rekeyed into place), or null
 * @param nextRekey         time until the IKE SA is rekeyed, or null
 * @param handshakeDuration first IKE_SA_INIT request to installed first Child SA
 * @param livenessRtt       round trip of the last liveness check
 * @param handshakes        completed handshakes (IKE_AUTH) since the runtime started
 * @param reconnects        re-establishments after a failure since the runtime started
 */
record IkeSaView(String algorithms, String spis, Instant established, Duration nextRekey, Duration handshakeDuration,
        Duration livenessRtt, long handshakes, long reconnects) {
}
