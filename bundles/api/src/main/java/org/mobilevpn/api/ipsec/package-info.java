/**
 * The IPsec vocabulary every bundle shares: traffic selectors (RFC 7296 §3.13.1, RFC 4301 §4.4.1), the
 * algorithms of IKE and ESP with their IANA ids and key, salt, IV and ICV lengths
 * ({@link org.mobilevpn.api.ipsec.EncryptionAlgorithm}, {@link org.mobilevpn.api.ipsec.IntegrityAlgorithm},
 * {@link org.mobilevpn.api.ipsec.PrfAlgorithm}, {@link org.mobilevpn.api.ipsec.KeyExchangeMethod}), and
 * the one holder of secret octets, {@link org.mobilevpn.api.ipsec.SecretBytes}, of which key records such as
 * {@link org.mobilevpn.api.ipsec.EspKeys} are made.
 */
@Export
@Version("1.0.0")
package org.mobilevpn.api.ipsec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
