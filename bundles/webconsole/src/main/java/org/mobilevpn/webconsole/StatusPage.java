package org.mobilevpn.webconsole;

import java.util.List;
import java.util.Map;

/**
 * The VPN page's HTML (the content area inside the Web Console's frame), rendered from a
 * {@link StatusSnapshot}. Every value goes through {@link Html#escape}. The element ids and classes
 * are the page's contract with its script ({@code vpn.js}) and the browser tests:
 * {@code table#vpn-connections}, {@code tr[data-connection]} with cells classed as in
 * {@link ConnectionCells}, {@code button.vpn-connect} / {@code button.vpn-disconnect},
 * {@code span#vpn-refreshed[data-refresh-count]}, {@code section.vpn-detail[data-connection]},
 * {@code section#vpn-provisioning}, {@code ol#vpn-events}, {@code ul#vpn-profile-problems}.
 */
final class StatusPage {

    private StatusPage() {
    }

    /**
     * @param pluginRoot the page's path, e.g. {@code /system/console/vpn}
     * @param token      the CSRF token the action forms carry
     * @param refreshMillis how often the script fetches the JSON
     * @param scriptVersion names the script's content, so a browser never runs a cached older one
     */
    static String render(StatusSnapshot s, String pluginRoot, String token, long refreshMillis, String scriptVersion) {
        StringBuilder h = new StringBuilder(8192);
        String root = Html.escape(pluginRoot);
        h.append("<style>#vpn-page form.vpn-action{display:inline;margin:0 2px}")
                .append("#vpn-page section{margin-top:1.5em}#vpn-page .vpn-failed{color:#b00}")
                .append("#vpn-page td.last-error{max-width:28em}#vpn-page table.ike-sa{width:auto;min-width:40em}")
                .append("#vpn-page h2{font-weight:bold;font-size:110%;margin:1em 0 .3em}</style>\n");
        h.append("<div id=\"vpn-page\" data-status-url=\"").append(root).append("/status.json\" data-refresh-millis=\"")
                .append(refreshMillis).append("\">\n");
        h.append("<p class=\"statline\">Status of ").append("<span id=\"vpn-refreshed\" data-refresh-count=\"0\">")
                .append(Html.escape(DisplayText.time(s.takenAt()))).append("</span>")
                .append(", refreshed every ").append(refreshMillis / 1000).append(" s")
                .append(" <span id=\"vpn-refresh-problem\" class=\"vpn-failed\"></span></p>\n");
        h.append("<p id=\"vpn-manager-problem\" class=\"vpn-failed\">").append(Html.escape(managerProblem(s)))
                .append("</p>\n");

        h.append("<table id=\"vpn-connections\" class=\"nicetable\" data-token=\"").append(Html.escape(token))
                .append("\" data-action=\"").append(root).append("\">\n<thead><tr>");
        for (String heading : ConnectionCells.HEADINGS) {
            h.append("<th>").append(Html.escape(heading)).append("</th>");
        }
        h.append("<th>Actions</th></tr></thead>\n<tbody>\n");
        for (ConnectionView c : s.connections()) {
            row(h, c, root, token);
        }
        h.append("</tbody>\n</table>\n");

        h.append("<section id=\"vpn-profile-problems-section\"><h2>Invalid profiles</h2>\n<ul id=\"vpn-profile-problems\">");
        for (String p : s.profileProblems()) {
            h.append("<li class=\"vpn-failed\">").append(Html.escape(p)).append("</li>");
        }
        h.append("</ul></section>\n");

        h.append("<div id=\"vpn-details\">\n");
        for (ConnectionView c : s.connections()) {
            detail(h, c);
        }
        h.append("</div>\n");

        h.append("<section id=\"vpn-provisioning\"><h2>Provisioning check</h2>\n<p class=\"summary\">")
                .append(Html.escape(provisioningSummary(s.provisioning()))).append("</p>\n<ul>");
        if (s.provisioning() != null) {
            for (ProvisioningView.Item i : s.provisioning().items()) {
                h.append("<li class=\"").append(i.passed() ? "passed" : "failed vpn-failed").append("\">")
                        .append(Html.escape(provisioningLine(i))).append("</li>");
            }
        }
        h.append("</ul></section>\n");

        h.append("<section id=\"vpn-events-section\"><h2>Recent events</h2>\n<p class=\"summary\">")
                .append(s.eventsAvailable() ? "" : "No connection event log service.").append("</p>\n<ol id=\"vpn-events\">");
        for (EventView e : s.events()) {
            h.append("<li>").append(Html.escape(eventLine(e))).append("</li>");
        }
        h.append("</ol></section>\n");
        h.append("</div>\n<script src=\"").append(root).append("/res/vpn.js?v=").append(Html.escape(scriptVersion))
                .append("\"></script>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, ConnectionView c, String root, String token) {
        h.append("<tr data-connection=\"").append(Html.escape(c.name())).append("\">");
        for (Map.Entry<String, String> cell : ConnectionCells.of(c).entrySet()) {
            h.append("<td class=\"").append(cell.getKey()).append("\">").append(Html.escape(cell.getValue())).append("</td>");
        }
        h.append("<td class=\"actions\">");
        actionForm(h, root, token, c.name(), "connect", "Connect");
        actionForm(h, root, token, c.name(), "disconnect", "Disconnect");
        h.append("</td></tr>\n");
    }

    private static void actionForm(StringBuilder h, String root, String token, String name, String action, String label) {
        h.append("<form class=\"vpn-action\" method=\"post\" action=\"").append(root).append("\">")
                .append("<input type=\"hidden\" name=\"action\" value=\"").append(action).append("\">")
                .append("<input type=\"hidden\" name=\"name\" value=\"").append(Html.escape(name)).append("\">")
                .append("<input type=\"hidden\" name=\"token\" value=\"").append(Html.escape(token)).append("\">")
                .append("<button type=\"submit\" class=\"vpn-").append(action).append("\">").append(label)
                .append("</button></form>");
    }

    private static void detail(StringBuilder h, ConnectionView c) {
        h.append("<section class=\"vpn-detail\" data-connection=\"").append(Html.escape(c.name())).append("\">")
                .append("<h2>").append(Html.escape(c.name())).append("</h2>\n<table class=\"nicetable ike-sa\"><tbody>");
        for (List<String> row : ConnectionDetail.ikeRows(c)) {
            h.append("<tr><th class=\"ui-widget-header\">").append(Html.escape(row.get(0))).append("</th><td>").append(Html.escape(row.get(1)))
                    .append("</td></tr>");
        }
        h.append("</tbody></table>\n<table class=\"nicetable child-sas\"><thead><tr>");
        for (String column : ConnectionDetail.CHILD_SA_COLUMNS) {
            h.append("<th class=\"ui-widget-header\">").append(Html.escape(column)).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (List<String> row : ConnectionDetail.childSaRows(c)) {
            h.append("<tr>");
            for (String value : row) {
                h.append("<td>").append(Html.escape(value)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table></section>\n");
    }

    static String managerProblem(StatusSnapshot s) {
        if (s.managerProblem() != null) {
            return s.managerProblem();
        }
        return s.managerAvailable() ? "" : "The Policy Manager (VpnManager service) is not running: no connections to show.";
    }

    static String provisioningSummary(ProvisioningView p) {
        if (p == null) {
            return "No provisioning check service.";
        }
        return (p.passed() ? "Every check passed" : "A check FAILED: no connection can come up until it is fixed")
                + " (checked " + DisplayText.time(p.checkedAt()) + ").";
    }

    static String provisioningLine(ProvisioningView.Item i) {
        return (!i.passed() ? "FAIL" : i.warning() ? "WARN" : "ok") + " " + i.check() + ": " + i.detail();
    }

    static String eventLine(EventView e) {
        return DisplayText.time(e.time()) + " " + e.connection() + " " + e.kind() + ": " + e.text();
    }
}
