package org.mobilevpn.api.datapath;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.mobilevpn.api.ike.IkeTransport;
import org.osgi.annotation.versioning.ProviderType;

/** The data path service: IKE transports over the shared sockets, and tunnels that pump ESP. */
@ProviderType
public interface DataPath {

    /**
     * An IKE transport toward {@code gateway} (normally port 500) over the shared sockets: on port
     * 500 plain, after {@link IkeTransport#switchToNatTraversalPort()} on 4500 with the non-ESP marker.
     */
    IkeTransport openIkeTransport(InetSocketAddress gateway) throws IOException;

    /** Starts pumping packets of a virtual NIC through ESP toward the gateway; SAs are installed on the handle. */
    DataPathTunnel openTunnel(TunnelConfig config) throws IOException;

    /** Counters of the whole data path, taken now without stopping anything. */
    DataPathCounters counters();
}
