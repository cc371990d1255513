package org.mobilevpn.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.DataPathTunnel;
import org.mobilevpn.api.datapath.SaCounters;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.policy.ChildSaStatus;
import org.mobilevpn.api.policy.ConnectionStatus;
import org.mobilevpn.api.vnic.KillSwitch;

/**
 * What a connection last published, readable from any thread: an immutable base snapshot plus the
 * tunnel whose counters are read when someone asks. So a status request never waits for the policy
 * thread, and always shows counters as of now.
 *
 * @param base     the connection's state without counters
 * @param children the installed Child SAs without counters
 * @param tunnel   where counters come from, or {@code null} when no tunnel is up
 * @param killSwitch where the count of packets the connection's kill switch rules dropped comes from, or
 *                 {@code null} when it has none
 */
record StatusView(ConnectionStatus base, List<ChildSaStatus> children, DataPathTunnel tunnel, KillSwitch killSwitch) {

    StatusView {
        children = List.copyOf(children);
    }

    /** The snapshot at {@code now}, counters included. A tunnel closing under us reads as zero counters. */
    ConnectionStatus render(Instant now) {
        DataPathCounters counters = DataPathCounters.empty();
        if (tunnel != null) {
            try {
                counters = tunnel.counters();
            } catch (RuntimeException e) {
                counters = DataPathCounters.empty(); // closed between publish and now: nothing to count any more
            }
        }
        List<ChildSaStatus> withCounters = new ArrayList<>();
        for (ChildSaStatus c : children) {
            SaCounters in = find(counters, c.spiIn(), SaDirection.INBOUND);
            SaCounters out = find(counters, c.spiOut(), SaDirection.OUTBOUND);
            Map<EspStatus, Long> drops = new EnumMap<>(EspStatus.class);
            for (SaCounters sa : new SaCounters[] {in, out}) {
                if (sa != null) {
                    sa.outcomes().forEach((status, n) -> {
                        if (status != EspStatus.OK && n > 0) {
                            drops.merge(status, n, Long::sum);
                        }
                    });
                }
            }
            withCounters.add(c.withCounters(in == null ? 0 : in.bytes(), in == null ? 0 : in.packets(),
                    out == null ? 0 : out.bytes(), out == null ? 0 : out.packets(), drops));
        }
        Map<org.mobilevpn.api.datapath.DropReason, Long> drops = new EnumMap<>(org.mobilevpn.api.datapath.DropReason.class);
        counters.drops().forEach((reason, n) -> {
            if (n > 0) {
                drops.put(reason, n);
            }
        });
        long blocked = -1;
        if (killSwitch != null) {
            try {
                blocked = killSwitch.droppedPackets(base.name());
            } catch (RuntimeException e) {
                blocked = -1; // the service is going away: the count is unknown now
            }
        }
        return base.toBuilder().childSas(withCounters).drops(drops).blockedPackets(blocked).takenAt(now).build();
    }

    private static SaCounters find(DataPathCounters counters, int spi, SaDirection direction) {
        for (SaCounters sa : counters.sas()) {
            if (sa.spi() == spi && sa.direction() == direction) {
                return sa;
            }
        }
        return null;
    }
}
