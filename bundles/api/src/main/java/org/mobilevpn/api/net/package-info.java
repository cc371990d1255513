/**
 * IP addresses and prefixes as mobilevpn reads them from configuration: {@link org.mobilevpn.api.net.IpAddresses}
 * is the one parser of address literals (strict, never DNS), {@link org.mobilevpn.api.net.IpPrefix} an
 * address with a prefix length.
 */
@Export
@Version("1.0.0")
package org.mobilevpn.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
