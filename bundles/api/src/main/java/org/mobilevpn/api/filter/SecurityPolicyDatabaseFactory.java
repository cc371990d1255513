package org.mobilevpn.api.filter;

/** The filter bundle's service: compiles SPD data into a fast classifier. */
public interface SecurityPolicyDatabaseFactory {

    /** Compiles the configuration; the result never changes and may be shared between threads. */
    SecurityPolicyDatabase compile(SpdConfiguration configuration);
}
