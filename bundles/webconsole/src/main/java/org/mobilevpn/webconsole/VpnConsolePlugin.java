package org.mobilevpn.webconsole;

import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.mobilevpn.api.policy.ConnectionEventLog;
import org.mobilevpn.api.policy.VpnManager;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.ProvisioningCheck;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The Web Console page "VPN" ({@code /system/console/vpn}) and its JSON
 * ({@code /system/console/vpn/status.json}), both behind the console's login. GET renders the status
 * model ({@link StatusModelBuilder}); POST connects or disconnects a connection after the CSRF check
 * ({@link ConsoleAction}). All services it reads are optional, so the page also says when the Policy
 * Manager or the provisioning check is missing.
 */
@Component(service = Servlet.class, configurationPid = VpnConsolePlugin.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
            ServletConstants.PLUGIN_LABEL + "=" + VpnConsolePlugin.LABEL,
            ServletConstants.PLUGIN_TITLE + "=VPN",
            ServletConstants.PLUGIN_CATEGORY + "=Main"})
@Designate(ocd = VpnConsolePlugin.Config.class)
public final class VpnConsolePlugin extends AbstractServlet {
    private static final long serialVersionUID = 1L;

    static final String PID = "org.mobilevpn.webconsole";
    static final String LABEL = "vpn";
    static final String JSON_PATH = "/" + LABEL + "/status.json";
    static final String SCRIPT_PATH = "/" + LABEL + "/res/vpn.js";

    /** The page's settings (keys {@code refresh.seconds}, {@code provisioning.max.age.seconds}). */
    @ObjectClassDefinition(name = "mobilevpn VPN status page", description = "The Web Console page /system/console/vpn")
    public @interface Config {
        @AttributeDefinition(name = "Refresh interval (s)", description = "How often the page fetches the status", min = "1")
        int refresh_seconds() default 3;

        @AttributeDefinition(name = "Provisioning check age (s)",
                description = "How long a provisioning check result is shown before the check runs again", min = "1")
        int provisioning_max_age_seconds() default 30;
    }

    private final transient Clock clock;
    private final transient CsrfTokens tokens;
    private final transient ConsoleAction actions;
    private final transient StatusModelBuilder builder;
    private volatile transient ProvisioningCache provisioning = new ProvisioningCache(Duration.ofSeconds(30));
    private volatile long refreshMillis = 3000;
    /** Names the script's content in its URL: resources of a reproducible jar all carry one fixed date, so caches need this. */
    private final String scriptVersion = scriptVersion();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile transient VpnManager manager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile transient ProvisioningCheck provisioningCheck;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile transient ConnectionEventLog eventLog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile transient ProfileRegistry registry;

    @Reference(service = LoggerFactory.class)
    transient Logger logger;

    /** For DS: the system clock and a SecureRandom token key. */
    public VpnConsolePlugin() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    VpnConsolePlugin(Clock clock, Random random) {
        this.clock = clock;
        this.tokens = new CsrfTokens(random);
        this.actions = new ConsoleAction(tokens);
        this.builder = new StatusModelBuilder(new ThroughputMeter(Duration.ofSeconds(1)));
    }

    @Activate
    @Modified
    void configure(Config config) {
        refreshMillis = Math.max(1, config.refresh_seconds()) * 1000L;
        provisioning = new ProvisioningCache(Duration.ofSeconds(Math.max(1, config.provisioning_max_age_seconds())));
    }

    /** The status model now. */
    StatusSnapshot snapshot() {
        Instant now = clock.instant();
        ConnectionEventLog log = eventLog;
        return builder.build(now, manager, provisioning.get(provisioningCheck, now), log == null ? null : log.recent(),
                registry);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String path = request.getPathInfo();
        if (JSON_PATH.equals(path)) {
            setNoCache(response);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            try (JsonGenerator g = StatusJson.generator(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8))) {
                StatusJson.write(snapshot(), g);
            }
            return;
        }
        // resources (the script); anything else falls through to renderContent inside the console frame
        super.doGet(request, response);
    }

    @Override
    protected URL getResource(String path) {
        return SCRIPT_PATH.equals(path) ? VpnConsolePlugin.class.getResource("vpn.js") : null;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        out.write(StatusPage.render(snapshot(), pluginRoot(request), tokens.tokenFor(request.getRemoteUser()),
                refreshMillis, scriptVersion));
        out.flush();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ConsoleAction.Result result = actions.perform(request.getRemoteUser(), request.getHeader("Origin"),
                request.getHeader("Host"), request.getParameter("token"), request.getParameter("action"),
                request.getParameter("name"), manager);
        if (result.accepted()) {
            logger.info("VPN page: " + result.message() + " (user " + request.getRemoteUser() + ")");
        } else {
            logger.warn("VPN page: POST refused with " + result.status() + ": " + result.message() + " (from "
                    + request.getRemoteAddr() + ")");
        }
        setNoCache(response);
        String accept = request.getHeader("Accept");
        if (result.accepted() && (accept == null || !accept.contains("application/json"))) {
            // post/redirect/get: a reload of the page does not repeat the action
            response.setStatus(HttpServletResponse.SC_SEE_OTHER);
            response.setHeader("Location", pluginRoot(request));
            return;
        }
        response.setStatus(result.status());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try (JsonGenerator g = StatusJson.generator(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8))) {
            g.writeStartObject();
            g.writeNumberField("status", result.status());
            g.writeStringField("message", result.message());
            if (result.connection() != null) {
                g.writeStringField("name", result.connection().name());
                g.writeStringField("state", result.connection().state().name());
            }
            g.writeEndObject();
        }
    }

    private static String scriptVersion() {
        try (java.io.InputStream in = VpnConsolePlugin.class.getResourceAsStream("vpn.js")) {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
            return java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (IOException | java.security.NoSuchAlgorithmException | NullPointerException e) {
            return "0";
        }
    }

    private static String pluginRoot(HttpServletRequest request) {
        Object root = request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT);
        return root != null ? root.toString() : request.getContextPath() + request.getServletPath() + "/" + LABEL;
    }
}
