/**
 * The data path ("IM driver"): owns the UDP sockets (IKE on 500, IKE and ESP-in-UDP on 4500),
 * hands IKE datagrams to the IKE engine through {@link org.mobilevpn.api.ike.IkeTransport}s and
 * pumps packets between a virtual NIC and ESP.
 *
 * <p>State is data: every SA and policy a tunnel uses is handed in from outside (the policy
 * manager keeps the {@link org.mobilevpn.api.esp.EspSa} records), so a restarted data path is
 * rebuilt by installing the same data again.
 */
@Export
@Version("1.1.0")
package org.mobilevpn.api.datapath;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
