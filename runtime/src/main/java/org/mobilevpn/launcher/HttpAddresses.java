package org.mobilevpn.launcher;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Where the HTTP service (Felix HTTP Jetty) will listen: its keys in etc/framework.properties, overridden by its
 * ConfigAdmin configuration ({@code org.apache.felix.http}, e.g. etc/org.apache.felix.http.cfg), as Jetty itself
 * reads them. HTTP on {@code org.osgi.service.http.port} (8080) unless {@code org.apache.felix.http.enable} is
 * false; HTTPS on {@code org.osgi.service.http.port.secure} (8443) when {@code org.apache.felix.https.enable} is
 * true; on {@code org.apache.felix.http.host}, every address when it is unset.
 */
final class HttpAddresses {
    static final String PID = "org.apache.felix.http";

    /** The addresses, asked when they are needed. */
    interface Source {
        List<InetSocketAddress> addresses();
    }

    private HttpAddresses() {
    }

    /** The addresses for these settings (a key's value, or null when unset). */
    static List<InetSocketAddress> of(Function<String, String> setting) {
        String host = setting.apply("org.apache.felix.http.host");
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (!"false".equalsIgnoreCase(trimmed(setting.apply("org.apache.felix.http.enable")))) {
            addresses.add(address(host, setting.apply("org.osgi.service.http.port"), 8080));
        }
        if ("true".equalsIgnoreCase(trimmed(setting.apply("org.apache.felix.https.enable")))) {
            addresses.add(address(host, setting.apply("org.osgi.service.http.port.secure"), 8443));
        }
        return addresses;
    }

    /** The framework's properties, overridden by ConfigAdmin's configuration of the HTTP service if it has one. */
    static Source of(BundleContext context, Map<String, String> frameworkProperties) {
        return () -> {
            Dictionary<?, ?> configured = configuration(context);
            return of(key -> {
                Object value = configured == null ? null : configured.get(key);
                return value != null ? value.toString() : frameworkProperties.getOrDefault(key, System.getProperty(key));
            });
        };
    }

    private static InetSocketAddress address(String host, String port, int defaultPort) {
        int number = port == null || port.isBlank() ? defaultPort : Integer.parseInt(port.strip());
        return host == null || host.isBlank() ? new InetSocketAddress(number) : new InetSocketAddress(host.strip(), number);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }

    /**
     * ConfigAdmin's properties for the HTTP service's PID, or null. By reflection: the launcher is outside the
     * framework and does not import org.osgi.service.cm (a bundle of start level 2 provides it).
     */
    private static Dictionary<?, ?> configuration(BundleContext context) {
        ServiceReference<?> reference = context.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        if (reference == null) {
            return null;
        }
        Object admin = context.getService(reference);
        try {
            Class<?> type = reference.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Object[] found = (Object[]) type.getMethod("listConfigurations", String.class)
                    .invoke(admin, "(service.pid=" + PID + ")");
            if (found == null || found.length == 0) {
                return null;
            }
            Method properties = type.getClassLoader().loadClass("org.osgi.service.cm.Configuration")
                    .getMethod("getProperties");
            return (Dictionary<?, ?>) properties.invoke(found[0]);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("mobilevpn: cannot read the HTTP service's configuration (" + e
                    + "); the web feature's first request is awaited on the ports of " + FrameworkProperties.FILE);
            return null;
        } finally {
            context.ungetService(reference);
        }
    }
}
