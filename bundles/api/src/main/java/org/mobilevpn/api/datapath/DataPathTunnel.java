package org.mobilevpn.api.datapath;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.mobilevpn.api.esp.EspSa;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One running tunnel. Every change is atomic from the packet threads' view (they see the old or
 * the new table, never a mix) and none of them blocks a packet thread. The tunnel reads the NIC only once
 * its first outbound SA is installed: what the NIC queued before waits for it instead of being dropped. The {@link EspSa} records
 * stay owned by the caller: the tunnel builds its own transforms from them.
 */
@ProviderType
public interface DataPathTunnel extends AutoCloseable {

    /**
     * Installs a Child SA's pair, or the pair of a rekey: the new inbound SA is added first (the old
     * inbound ones of the same Child SA keep decrypting), then outbound traffic switches to the new
     * outbound SA. Remove the old inbound SA with {@link #removeInbound(int)} once the peer has
     * switched too. Both SAs must have the same {@link EspSa#childSaId()}.
     */
    void installSaPair(EspSa inbound, EspSa outbound);

    /**
     * First step of a loss-free rekey: accept packets of a new inbound SA while the old inbound SAs
     * of the same Child SA keep working. Outbound traffic is unchanged.
     */
    void installInbound(EspSa inbound);

    /**
     * Second step of a rekey (once the peer accepts the new SA): outbound traffic of the SA's Child
     * SA switches to it atomically; the replaced outbound transform is wiped.
     */
    void installOutbound(EspSa outbound);

    /** Stops accepting packets of the inbound SA with this SPI and wipes its transform. */
    void removeInbound(int spi);

    /** Removes every SA of a Child SA (inbound and outbound). */
    void removeChildSa(int childSaId);

    /** Replaces the SPD as a whole. */
    void updatePolicy(SpdConfiguration spd);

    /** Sends ESP and keepalives to a new gateway endpoint from now on (a NAT mapping changed). */
    void updateGateway(InetSocketAddress gateway);

    /**
     * Sends NAT keepalives (RFC 3948 §2.3) at this interval from now on, or none ({@link Duration#ZERO}): the path
     * to the gateway changed and a NAT appeared in front of us, or went.
     *
     * @throws IllegalArgumentException when the interval is negative
     * @since 1.1
     */
    void keepaliveInterval(Duration interval);

    /** This tunnel's counters, taken now. */
    DataPathCounters counters();

    /**
     * Stops the tunnel's threads and wipes its transforms; the NIC stays open (the caller owns it).
     * {@link #counters()} then returns the final counters: the outbound sequence numbers in them are
     * the last ones used, so a successor tunnel can continue the same SAs without reusing one.
     */
    @Override
    void close();
}
