package org.mobilevpn.webconsole;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
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
 * Puts {@link ConsoleAccessRules} in front of every request to the Felix Web Console (its whiteboard context
 * {@code org.apache.felix.webconsole}): a refused request gets 403 and the reason, and is logged.
 */
@Component(service = Filter.class, configurationPid = ConsoleAccessFilter.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
            "osgi.http.whiteboard.filter.pattern=/*",
            "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=org.apache.felix.webconsole)",
            "osgi.http.whiteboard.filter.name=mobilevpn-console-access"})
@Designate(ocd = ConsoleAccessFilter.Config.class)
public final class ConsoleAccessFilter implements Filter {
    static final String PID = "org.mobilevpn.webconsole.access";

    /** Who may reach the console. */
    @ObjectClassDefinition(name = "mobilevpn Web Console access",
            description = "Requests the Web Console refuses before its login: foreign Host headers, the default"
                    + " password, plain HTTP on a non-loopback address")
    public @interface Config {
        @AttributeDefinition(name = "Host names", description = "Further names (no port) the console is reached by,"
                + " besides localhost, 127.0.0.1, [::1] and the address it is bound to")
        String[] hosts() default {};
    }

    private volatile ConsoleAccessRules rules = new ConsoleAccessRules(java.util.List.of());

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Logger logger;

    @Activate
    @Modified
    void configure(Config config) {
        rules = new ConsoleAccessRules(Arrays.asList(config.hosts()));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        Optional<String> refusal = rules.refusal(req.getHeader("Host"), req.getLocalAddr(), req.getLocalPort(),
                req.isSecure(), req.getHeader("Authorization"));
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Logger l = logger;
        if (l != null) {
            l.warn("Web Console request from " + req.getRemoteAddr() + " refused: " + refusal.get());
        }
        HttpServletResponse resp = (HttpServletResponse) response;
        resp.setStatus(HttpServletResponse.SC_FORBIDDEN);
        resp.setContentType("text/plain;charset=utf-8");
        resp.getWriter().println("refused: " + refusal.get());
    }
}
