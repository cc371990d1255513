package org.mobilevpn.webconsole;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cells of a connection's row as text, keyed by the cell's CSS class (the hooks the page and its
 * browser tests rely on): {@code name state gateway virtual-ip nat uptime throughput-in
 * throughput-out next-rekey last-error}. The server-rendered page and the script's refresh both fill
 * the row from this one definition.
 */
final class ConnectionCells {
    /** The cell classes in column order. */
    static final String[] CLASSES = {"name", "state", "gateway", "virtual-ip", "nat", "uptime", "throughput-in",
        "throughput-out", "next-rekey", "last-error"};
    /** The column headings, in the same order. */
    static final String[] HEADINGS = {"Name", "State", "Gateway", "Virtual IP", "NAT", "Uptime", "In", "Out",
        "Next rekey", "Last error"};

    private ConnectionCells() {
    }

    static Map<String, String> of(ConnectionView c) {
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("name", c.name());
        cells.put("state", c.state().name());
        cells.put("gateway", c.gateway() == null ? DisplayText.NONE : c.gateway());
        cells.put("virtual-ip", c.virtualIps().isEmpty() ? DisplayText.NONE : String.join(", ", c.virtualIps()));
        cells.put("nat", c.natDetected() ? "detected" : c.gateway() == null ? DisplayText.NONE : "no");
        cells.put("uptime", c.uptime().isZero() ? DisplayText.NONE : DisplayText.duration(c.uptime()));
        cells.put("throughput-in", DisplayText.rate(c.throughput().inBitsPerSecond()));
        cells.put("throughput-out", DisplayText.rate(c.throughput().outBitsPerSecond()));
        cells.put("next-rekey", DisplayText.duration(c.nextRekey()));
        cells.put("last-error", c.lastError() == null ? DisplayText.NONE : c.lastError().text());
        return cells;
    }
}
