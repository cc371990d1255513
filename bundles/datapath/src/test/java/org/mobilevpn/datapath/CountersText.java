package org.mobilevpn.datapath;

import java.util.HashMap;
import java.util.Map;
import org.mobilevpn.api.datapath.DataPathCounters;
import org.mobilevpn.api.datapath.SaCounters;

/** Counters as {@code key=value} lines, so a test reads another process's counters. */
final class CountersText {
    private CountersText() {
    }

    static String format(DataPathCounters c) {
        StringBuilder s = new StringBuilder();
        s.append("from_nic=").append(c.packetsFromNic()).append('\n');
        s.append("to_nic=").append(c.packetsToNic()).append('\n');
        s.append("sent=").append(c.datagramsSent()).append('\n');
        s.append("received=").append(c.datagramsReceived()).append('\n');
        s.append("keepalives=").append(c.keepalivesSent()).append('\n');
        c.drops().forEach((k, v) -> s.append("drop.").append(k).append('=').append(v).append('\n'));
        for (SaCounters sa : c.sas()) {
            String p = String.format("sa.%s.%08x.", sa.direction(), sa.spi());
            s.append(p).append("packets=").append(sa.packets()).append('\n');
            s.append(p).append("bytes=").append(sa.bytes()).append('\n');
            sa.outcomes().forEach((k, v) -> s.append(p).append(k).append('=').append(v).append('\n'));
        }
        return s.toString();
    }

    static Map<String, Long> parse(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
            }
        }
        return m;
    }
}
