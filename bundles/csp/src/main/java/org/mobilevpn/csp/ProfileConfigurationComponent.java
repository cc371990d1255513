package org.mobilevpn.csp;

import java.util.Map;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One instance per configuration of factory PID {@code org.mobilevpn.profile} (a file in etc/, a Web
 * Console form, a policy document, a remote push). It only hands the raw properties to the registry:
 * parsing there, in one place, lets the registry check names across configurations and re-check
 * everything when the proposal validator arrives. {@link ConfigurationPolicy#REQUIRE}: without a
 * configuration there is no instance. Publishes no service, because its properties hold the PSK and
 * DS copies component properties into service properties.
 */
@Component(configurationPid = ProfileKeys.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ProfileConfig.class, factory = true)
public final class ProfileConfigurationComponent {
    private final ProfileStore store;
    private final String pid;

    @Activate
    public ProfileConfigurationComponent(@Reference ProfileStore store, Map<String, Object> properties) {
        this.store = store;
        this.pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        store.configured(pid, properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        store.configured(pid, properties);
    }

    @Deactivate
    void deactivate() {
        store.deleted(pid);
    }
}
