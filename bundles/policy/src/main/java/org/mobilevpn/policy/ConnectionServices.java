package org.mobilevpn.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.vnic.KillSwitch;
import org.mobilevpn.api.vnic.VirtualNicFactory;

/**
 * The services a connection is built from, as they are at this moment: each may come and go with its
 * bundle (an update of the ike or datapath bundle), so a connection asks for them at every attempt.
 */
interface ConnectionServices {

    /** The IKE engine, or {@code null} while there is none. */
    IkeEngine ikeEngine();

    /** The data path, or {@code null} while there is none. */
    DataPath dataPath();

    /** The virtual NIC factory, or {@code null} while there is none. */
    VirtualNicFactory virtualNicFactory();

    /** The kill switch rules, or {@code null} while there is no such service. */
    KillSwitch killSwitch();

    /** Resolves a gateway's host name (a literal resolves without a lookup). */
    InetAddress resolve(String host) throws UnknownHostException;

    /** A Child SA id no other Child SA of this runtime uses (SPD rules and SAs refer to it). */
    int nextChildSaId();
}
