package org.mobilevpn.api.datapath;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of counters: per installed SA, per drop reason, and packets/bytes that crossed the
 * virtual NIC and the socket. Values of a running data path are each exact but not taken at one
 * single instant.
 */
public record DataPathCounters(List<SaCounters> sas, Map<DropReason, Long> drops, long packetsFromNic, long packetsToNic,
        long datagramsSent, long datagramsReceived, long keepalivesSent, long ikeMessagesReceived) {

    public DataPathCounters {
        sas = List.copyOf(sas);
        drops = Map.copyOf(drops);
    }

    /** How many packets were dropped for this reason. */
    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /** Sums two snapshots (e.g. of several tunnels). */
    public DataPathCounters plus(DataPathCounters o) {
        Map<DropReason, Long> d = new EnumMap<>(DropReason.class);
        d.putAll(drops);
        o.drops.forEach((k, v) -> d.merge(k, v, Long::sum));
        List<SaCounters> all = new java.util.ArrayList<>(sas);
        all.addAll(o.sas);
        return new DataPathCounters(all, d, packetsFromNic + o.packetsFromNic, packetsToNic + o.packetsToNic,
                datagramsSent + o.datagramsSent, datagramsReceived + o.datagramsReceived, keepalivesSent + o.keepalivesSent,
                ikeMessagesReceived + o.ikeMessagesReceived);
    }

    /** Nothing counted. */
    public static DataPathCounters empty() {
        return new DataPathCounters(List.of(), Map.of(), 0, 0, 0, 0, 0, 0);
    }
}
