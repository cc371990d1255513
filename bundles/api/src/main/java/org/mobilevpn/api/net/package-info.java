/**
 * IP addresses and prefixes as mobilevpn reads them from configuration: {@link org.mobilevpn.api.net.IpAddresses}
 * is the one parser of address literals (strict, never DNS), {@link org.mobilevpn.api.net.IpPrefix} an
 * address with a prefix length; {@link org.mobilevpn.api.net.NetworkState} the host's links, addresses and
 * routes as a {@link org.mobilevpn.api.net.NetworkListener} hears them.
 */
@Export
@Version("1.1.0")
package org.mobilevpn.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
