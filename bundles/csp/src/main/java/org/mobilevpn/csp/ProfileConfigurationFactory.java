package org.mobilevpn.csp;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Receives every configuration of factory PID {@code org.mobilevpn.profile} (a file in etc/, a Web Console
 * form, a policy document, a remote push) and hands the raw properties to the registry: parsing there, in
 * one place, lets the registry check names across configurations and re-check everything when the proposal
 * validator arrives.
 *
 * <p>A {@link ManagedServiceFactory} rather than a DS component per configuration, because DS keeps a
 * configuration's properties as component properties, and the console's support bundle prints component
 * properties unmasked: the PSK would be in it. Here the properties go from ConfigAdmin to the registry and
 * nowhere else. Ignoring DS configuration, the component only carries the metatype for the form.
 * Immediate: ConfigAdmin releases the service after each call, and a delayed component would then be
 * deactivated, taking every profile back.
 */
@Component(service = ManagedServiceFactory.class, immediate = true, configurationPid = ProfileKeys.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.IGNORE,
        property = Constants.SERVICE_PID + "=" + ProfileKeys.FACTORY_PID)
@Designate(ocd = ProfileConfig.class, factory = true)
public final class ProfileConfigurationFactory implements ManagedServiceFactory {
    private final ProfileStore store;
    /** The configurations handed to the store, so they are taken back when this component goes. */
    private final Set<String> configured = Collections.synchronizedSet(new HashSet<>());

    @Activate
    public ProfileConfigurationFactory(@Reference ProfileStore store) {
        this.store = store;
    }

    @Override
    public String getName() {
        return "mobilevpn VPN profiles";
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) {
        Map<String, Object> copy = new HashMap<>();
        for (var keys = properties.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            copy.put(key, properties.get(key));
        }
        configured.add(pid);
        store.configured(pid, copy);
    }

    @Override
    public void deleted(String pid) {
        configured.remove(pid);
        store.deleted(pid);
    }

    @Deactivate
    void deactivate() {
        synchronized (configured) {
            configured.forEach(store::deleted);
            configured.clear();
        }
    }
}
