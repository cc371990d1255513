package org.mobilevpn.shell;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code vpn:configs [TEXT]}: the ConfigAdmin configurations (those whose PID contains TEXT), with
 * their properties and secrets masked. Felix has no such command of its own, and an operator who
 * drops a file into etc/ wants to see what ConfigAdmin made of it.
 */
@Component(service = Object.class, property = {
    "osgi.command.scope=vpn",
    "osgi.command.function=configs"
})
public class ConfigCommands {

    private final ConfigurationAdmin configAdmin;

    @Activate
    public ConfigCommands(@Reference ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    public String configs() throws IOException, InvalidSyntaxException {
        return configs("");
    }

    public String configs(String text) throws IOException, InvalidSyntaxException {
        Configuration[] found = configAdmin.listConfigurations(null);
        List<Configuration> shown = new ArrayList<>();
        for (Configuration configuration : found == null ? new Configuration[0] : found) {
            if (configuration.getPid().contains(text)) {
                shown.add(configuration);
            }
        }
        if (shown.isEmpty()) {
            return text.isEmpty() ? "no configurations" : "no configuration PID contains '" + text + "'";
        }
        shown.sort((a, b) -> a.getPid().compareTo(b.getPid()));
        StringBuilder out = new StringBuilder();
        for (Configuration configuration : shown) {
            out.append(configuration.getPid());
            if (configuration.getFactoryPid() != null) {
                out.append("  (factory ").append(configuration.getFactoryPid()).append(')');
            }
            out.append('\n').append(properties(configuration.getProperties()));
        }
        return out.toString();
    }

    private static String properties(Dictionary<String, Object> properties) {
        if (properties == null) {
            return "  (no properties yet)\n";
        }
        List<String> keys = Collections.list(properties.keys());
        Collections.sort(keys);
        Table table = new Table("  KEY", "VALUE");
        for (String key : keys) {
            table.row("  " + key, text(Secrets.shown(key, properties.get(key))));
        }
        String rows = table.toString();
        return rows.substring(rows.indexOf('\n') + 1);
    }

    /** The value, and its type when it is not a plain string: typed .config files are easy to get wrong. */
    static String text(Object value) {
        if (value == null || value instanceof String) {
            return String.valueOf(value);
        }
        if (value.getClass().isArray()) {
            Object[] items = new Object[Array.getLength(value)];
            Arrays.setAll(items, i -> Array.get(value, i));
            return Arrays.toString(items) + " (" + value.getClass().getComponentType().getSimpleName() + "[])";
        }
        return value + " (" + value.getClass().getSimpleName() + ")";
    }
}
