/**
 * The virtual NIC: a Linux TUN device carrying the address the gateway assigned, the routes
 * of the remote traffic selectors and, optionally, the gateway's DNS servers.
 *
 * <p>The control path opens a {@link org.mobilevpn.api.vnic.VirtualNic} from an immutable
 * {@link org.mobilevpn.api.vnic.VnicConfig} through the {@link org.mobilevpn.api.vnic.VirtualNicFactory}
 * service; the data path reads and writes IP packets through the handle. The {@link org.mobilevpn.api.vnic.KillSwitch}
 * service holds the host's packet filter rules that keep traffic from leaving outside the tunnel.
 */
@Export
@Version("2.3.0")
package org.mobilevpn.api.vnic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
