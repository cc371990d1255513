package org.mobilevpn.api.profile;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether this machine can carry a tunnel: the TUN device is usable, the process holds CAP_NET_ADMIN,
 * the engine and data path services are present. The CSP runs it at start and on request.
 */
@ProviderType
public interface ProvisioningCheck {

    /** Runs every check now; never throws (a failing check is a failed line of the report). */
    ProvisioningReport check();
}
