package org.mobilevpn.api.vnic;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An open virtual NIC: one IP packet per {@link #read} or {@link #write}, no per-packet
 * allocation. Buffers must be direct. One thread may read while another writes.
 *
 * <p>{@link #close()} removes everything the NIC added (device, addresses, routes, DNS) and
 * makes a blocked {@link #read} return {@code -1}.
 */
@ProviderType
public interface VirtualNic extends AutoCloseable {

    /** The kernel's name of the device, e.g. {@code mvpn0}. */
    String name();

    /** The configuration currently applied. */
    VnicConfig config();

    /**
     * Reads one packet into {@code dst} from its position, blocking until one arrives; the
     * position advances by the packet length.
     *
     * @return the packet length, or {@code -1} once the NIC is closed or when {@link #wakeup()} was called
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Reads one packet into {@code dst} from its position if one is ready, never waiting: how one thread serves
     * many NICs, polling their {@link #readinessDescriptor()}s.
     *
     * @return the packet length, {@code 0} when none is ready, or {@code -1} once the NIC is closed
     */
    int readNow(ByteBuffer dst) throws IOException;

    /**
     * A file descriptor that poll(2) reports readable (POLLIN) while {@link #readNow} may find a packet
     * (level-triggered; {@link #pending()} packets are there without it). Only for polling: reading or closing it
     * is the NIC's business.
     */
    int readinessDescriptor();

    /**
     * How many packets the next reads return without waiting or a system call (the rest of a TCP
     * super-packet being cut up, with {@link VnicConfig#offload()}): a batching reader sends what it
     * has once this is 0.
     */
    int pending();

    /**
     * Writes the packet between {@code src}'s position and limit; the position moves to the limit.
     * With {@link VnicConfig#offload()} consecutive TCP segments of a flow may be held back to go
     * in as one super-packet: call {@link #flush()} when a batch of writes is done.
     */
    void write(ByteBuffer src) throws IOException;

    /** Writes whatever {@link #write} held back; cheap when nothing is. Same thread as {@link #write}. */
    void flush() throws IOException;

    /**
     * Makes the current blocked {@link #read}, or else the next one, return {@code -1} once: how a
     * reader thread is stopped without closing the NIC (a restarted data path reads on).
     */
    void wakeup();

    /**
     * Replaces routes, DNS and addresses with those of {@code config} (same name and MTU), e.g.
     * after a rekey changed the traffic selectors, or a new IKE SA took the tunnel over with another
     * virtual IP (new addresses are added before old ones are removed).
     */
    void reconfigure(VnicConfig config) throws VnicException;

    /**
     * Sends what goes to {@code gateway} out of {@code uplink} (through {@code nextHop}, {@code null} when the gateway
     * is on that link) instead of the way it took so far: with a full tunnel, the host route that keeps IKE and ESP
     * outside the tunnel follows the uplink the connection moved to; without one, it makes IKE and ESP leave by the
     * uplink a profile's {@code uplinks} prefers where the kernel's routing would pick another. Replaces the NIC's
     * earlier route to that address, if any; a later {@link #reconfigure} keeps it; {@link #close()} removes it.
     *
     * @throws VnicException when the route cannot be set (the message names the command and the kernel's answer)
     * @since 2.2
     */
    default void routeGateway(InetAddress gateway, String uplink, InetAddress nextHop) throws VnicException {
    }

    @Override
    void close();
}
