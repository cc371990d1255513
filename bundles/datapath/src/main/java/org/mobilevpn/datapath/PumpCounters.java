package org.mobilevpn.datapath;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DropReason;
import org.mobilevpn.api.datapath.SaCounters;

/** Lock-free counters the packet threads bump and any thread reads: drops per reason and traffic totals. */
final class PumpCounters {
    static final int FROM_NIC = DropReason.values().length;
    static final int TO_NIC = FROM_NIC + 1;
    static final int SENT = FROM_NIC + 2;
    static final int RECEIVED = FROM_NIC + 3;
    static final int KEEPALIVES = FROM_NIC + 4;
    static final int IKE_RECEIVED = FROM_NIC + 5;

    private final AtomicLongArray values = new AtomicLongArray(FROM_NIC + 6);

    void drop(DropReason reason) {
        values.getAndIncrement(reason.ordinal());
    }

    void count(int slot) {
        values.getAndIncrement(slot);
    }

    void add(int slot, long n) {
        values.getAndAdd(slot, n);
    }

    long get(int slot) {
        return values.get(slot);
    }

    long dropped(DropReason reason) {
        return values.get(reason.ordinal());
    }

    DataPathCounters snapshot(List<SaCounters> sas) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long v = values.get(r.ordinal());
            if (v != 0) {
                drops.put(r, v);
            }
        }
        return new DataPathCounters(sas, drops, get(FROM_NIC), get(TO_NIC), get(SENT), get(RECEIVED), get(KEEPALIVES),
                get(IKE_RECEIVED));
    }
}
