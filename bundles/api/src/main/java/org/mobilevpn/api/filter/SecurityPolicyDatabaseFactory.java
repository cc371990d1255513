package org.mobilevpn.api.filter;

import org.osgi.annotation.versioning.ProviderType;

/** The filter bundle's service: compiles SPD data into a fast classifier. */
@ProviderType
public interface SecurityPolicyDatabaseFactory {

    /** Compiles the configuration; the result never changes and may be shared between threads. */
    SecurityPolicyDatabase compile(SpdConfiguration configuration);
}
