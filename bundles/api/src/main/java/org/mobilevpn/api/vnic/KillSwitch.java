package org.mobilevpn.api.vnic;

import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The host's packet filter rules that keep a connection's traffic from leaving outside its tunnel
 * (on Linux: an nftables table of the runtime's own). Rules live in the kernel, so they stay when the
 * runtime stops or crashes, until {@link #remove} takes them away; a new start finds them in
 * {@link #installed()}.
 */
@ProviderType
public interface KillSwitch {

    /**
     * Installs this connection's rules, or replaces them, in one atomic step: no packet ever sees a
     * half-changed rule set.
     *
     * @param connection the connection's name (the profile-name rule)
     * @throws VnicException with the cause when the rules could not be installed (the previous ones stay)
     */
    void apply(String connection, KillSwitchPolicy policy) throws VnicException;

    /**
     * Removes this connection's rules; nothing happens when it has none.
     *
     * @param reason why, for the log (e.g. "vpn:down")
     * @throws VnicException when the rules could not be removed (they stay)
     */
    void remove(String connection, String reason) throws VnicException;

    /** The connections whose rules are installed now, including those an earlier run of the runtime left. */
    Set<String> installed();

    /** The connection's rules as installed, if any. */
    Optional<KillSwitchPolicy> policy(String connection);

    /**
     * Packets this connection's rules dropped since they were installed (kept across changes of them), or
     * {@code -1} when it has none or the count cannot be read. Packets a rule shared by several kill switches
     * dropped count for each of them.
     */
    long droppedPackets(String connection);
}
