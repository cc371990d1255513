/**
 * Types every mobilevpn bundle shares: the lifecycle of a connection and why it failed.
 * Service interfaces of a mechanism live in the sub-package named for it.
 *
 * <p>1.1.0: {@link org.mobilevpn.api.ConnectionState#DEGRADED} and
 * {@link org.mobilevpn.api.FailureReason#TRAFFIC_STALLED} (new constants: a minor change; a consumer that
 * switches over these enums needs a default branch).
 *
 * <p>1.2.0: {@link org.mobilevpn.api.FailureReason#INTERNAL_ADDRESS_FAILURE} (a new constant).
 */
@Export
@Version("1.2.0")
package org.mobilevpn.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
