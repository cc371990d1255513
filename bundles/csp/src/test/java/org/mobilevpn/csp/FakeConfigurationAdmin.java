package org.mobilevpn.csp;

import java.io.IOException;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * An in-memory ConfigurationAdmin with what DS would do on top: every change of a profile configuration
 * is delivered to a {@link ProfileStore} as {@link ProfileConfigurationFactory} would deliver it.
 * A mutation can be made to fail, to test that a policy document is applied all or nothing.
 */
final class FakeConfigurationAdmin implements ConfigurationAdmin {
    final Map<String, FakeConfiguration> configurations = new LinkedHashMap<>();
    private ProfileStore deliverTo;
    private int mutations;
    private int failAtMutation = -1;
    private int generated;

    /** Delivers profile configurations to this store, like the DS factory component does. */
    FakeConfigurationAdmin deliveringTo(ProfileStore store) {
        deliverTo = store;
        return this;
    }

    /** The n-th update or delete from now (1 = the next) throws IOException. */
    void failAtMutation(int n) {
        mutations = 0;
        failAtMutation = n;
    }

    private void mutation() throws IOException {
        if (++mutations == failAtMutation) {
            throw new IOException("disk full (injected)");
        }
    }

    /** The profile configuration holding this name, or null. */
    Dictionary<String, Object> byName(String name) {
        for (FakeConfiguration c : configurations.values()) {
            if (c.properties != null && name.equals(c.properties.get("name"))) {
                return c.getProperties();
            }
        }
        return null;
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        return createFactoryConfiguration(factoryPid, null);
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        return configurations.computeIfAbsent(factoryPid + "." + (++generated), pid -> new FakeConfiguration(pid, factoryPid));
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        return getConfiguration(pid);
    }

    @Override
    public Configuration getConfiguration(String pid) {
        return configurations.computeIfAbsent(pid, p -> new FakeConfiguration(p, null));
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        return getFactoryConfiguration(factoryPid, name);
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        return configurations.computeIfAbsent(factoryPid + "~" + name, pid -> new FakeConfiguration(pid, factoryPid));
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter f = filter == null ? null : FrameworkUtil.createFilter(filter);
        return configurations.values().stream()
                .filter(c -> c.properties != null && (f == null || f.matches(c.map())))
                .toArray(Configuration[]::new);
    }

    final class FakeConfiguration implements Configuration {
        private final String pid;
        private final String factoryPid;
        Hashtable<String, Object> properties;
        long changes;

        FakeConfiguration(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }

        Map<String, Object> map() {
            return new HashMap<>(getPropertiesMap());
        }

        private Map<String, Object> getPropertiesMap() {
            Map<String, Object> m = new HashMap<>(properties);
            m.put("service.pid", pid);
            if (factoryPid != null) {
                m.put("service.factoryPid", factoryPid);
            }
            return m;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return properties == null ? null : new Hashtable<>(getPropertiesMap());
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> props) throws IOException {
            mutation();
            Hashtable<String, Object> copy = new Hashtable<>();
            for (String k : Collections.list(props.keys())) {
                if (!k.equals("service.pid") && !k.equals("service.factoryPid")) {
                    copy.put(k, props.get(k));
                }
            }
            properties = copy;
            changes++;
            if (deliverTo != null && ProfileKeys.FACTORY_PID.equals(factoryPid)) {
                deliverTo.configured(pid, getPropertiesMap());
            }
        }

        @Override
        public void delete() throws IOException {
            mutation();
            configurations.remove(pid);
            if (deliverTo != null && ProfileKeys.FACTORY_PID.equals(factoryPid) && properties != null) {
                deliverTo.deleted(pid);
            }
            properties = null;
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() throws IOException {
            update(properties == null ? new Hashtable<>() : properties);
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> props) throws IOException {
            update(props);
            return true;
        }

        @Override
        public void setBundleLocation(String location) {
        }

        @Override
        public String getBundleLocation() {
            return "?";
        }

        @Override
        public long getChangeCount() {
            return changes;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) {
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Set.of();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {
        }
    }
}
