/**
 * The IKEv2 engine as a service (RFC 7296, initiator side): start a session for an immutable
 * {@link org.mobilevpn.api.ike.IkeSessionConfig} over an {@link org.mobilevpn.api.ike.IkeTransport}
 * and receive the negotiated SAs, keys and their changes through an
 * {@link org.mobilevpn.api.ike.IkeSessionListener}.
 *
 * <p>Key material leaves the engine only inside {@link org.mobilevpn.api.ipsec.SecretBytes}, owned by
 * records that wipe it on {@code close()}: the receiver of an event owns the keys in it. A session can be
 * handed from one engine to the next as an {@link org.mobilevpn.api.ike.IkeSaRecord} (a bundle update).
 *
 * <p>2.1.0: {@link org.mobilevpn.api.ike.IkeSessionConfig#remoteHostId()} (the gateway's host, which its certificate
 * must name without {@code remote_id}), {@link org.mobilevpn.api.ike.IkeSessionConfig#allowSha1Signatures()},
 * {@link org.mobilevpn.api.ike.PeerText} (additions: a minor change).
 *
 * <p>2.2.0 also: {@link org.mobilevpn.api.ike.ChildSaInfo#dnsDomains()} (split DNS, RFC 8598; the constructor
 * without it stays).
 *
 * <p>2.3.0: {@link org.mobilevpn.api.ike.IkeSaRecord#inFlight()}, {@link org.mobilevpn.api.ike.IkeRequestInFlight},
 * {@link org.mobilevpn.api.ike.IkeSaRecord#replaced()}: a session handed over in the middle of an exchange (the
 * constructor without them stays).
 */
@Export
@Version("2.3.0")
package org.mobilevpn.api.ike;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
