/**
 * The security policy database (RFC 4301 §4.4.1) as data, and the service that compiles it into a
 * fast packet classifier.
 *
 * <p>An {@link org.mobilevpn.api.filter.SpdConfiguration} is an ordered list of
 * {@link org.mobilevpn.api.filter.SpdRule}s, each a set of local and remote
 * {@link org.mobilevpn.api.ipsec.TrafficSelector}s with an action: PROTECT through a Child SA, BYPASS
 * or DISCARD. The {@link org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory} service compiles it
 * into an immutable, thread-safe {@link org.mobilevpn.api.filter.SecurityPolicyDatabase} that the
 * packet pump consults for every outbound packet and for every packet decrypted from an SA.
 */
@Export
@Version("2.1.0")
package org.mobilevpn.api.filter;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
