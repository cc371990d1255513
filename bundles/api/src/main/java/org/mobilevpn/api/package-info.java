/**
 * Types every mobilevpn bundle shares: the lifecycle of a connection and why it failed.
 * Service interfaces of a mechanism live in the sub-package named for it.
 */
@Export
@Version("1.0.0")
package org.mobilevpn.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
