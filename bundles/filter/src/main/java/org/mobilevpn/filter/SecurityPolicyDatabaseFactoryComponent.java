package org.mobilevpn.filter;

import org.mobilevpn.api.filter.SecurityPolicyDatabase;
import org.mobilevpn.api.filter.SecurityPolicyDatabaseFactory;
import org.mobilevpn.api.filter.SpdConfiguration;
import org.osgi.service.component.annotations.Component;

/**
 * The filter bundle's service: compiles SPD data into {@link SecurityPolicyDatabase}s. Holds no state,
 * so the bundle can be replaced and the pump recompiles from the same configuration.
 */
@Component(service = SecurityPolicyDatabaseFactory.class)
public final class SecurityPolicyDatabaseFactoryComponent implements SecurityPolicyDatabaseFactory {

    @Override
    public SecurityPolicyDatabase compile(SpdConfiguration configuration) {
        return new CompiledSpd(configuration);
    }
}
