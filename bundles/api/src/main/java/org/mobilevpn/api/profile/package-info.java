/**
 * VPN profiles as the configuration service provider (CSP) delivers them: one validated, immutable
 * {@link org.mobilevpn.api.profile.VpnProfile} per connection, named with strongSwan's swanctl.conf
 * words, published through the {@link org.mobilevpn.api.profile.ProfileRegistry} together with the
 * {@link org.mobilevpn.api.profile.ProfileProblem problems} of configurations that are not valid.
 *
 * <p>A profile holds the engine's {@link org.mobilevpn.api.ike.IkeSessionConfig} (its IKE keys, with their
 * defaults and checks) and adds the keys of the client around the engine; it maps onto the vnic and filter
 * values without parsing any string again: everything in it is already typed.
 *
 * <p>The {@link org.mobilevpn.api.profile.ProvisioningCheck} tells whether this machine can carry a
 * tunnel at all (TUN device, CAP_NET_ADMIN, the services of the data path and engine); other bundles
 * add their own lines as a {@link org.mobilevpn.api.profile.ProvisioningContributor}.
 *
 * <p>Since 2.1: {@link org.mobilevpn.api.profile.PolicyDocuments} (the all-or-nothing policy-document
 * path as a service), {@link org.mobilevpn.api.profile.CredentialFiles} (certificate and key files as
 * profiles read them) and {@link org.mobilevpn.api.profile.ProvisioningContributor}.
 * Also in 2.1: {@link org.mobilevpn.api.profile.VpnProfile#ikeFor}, {@link org.mobilevpn.api.profile.GatewayAddress#identity()},
 * warnings in {@link org.mobilevpn.api.profile.ProvisioningItem}.
 */
@Export
@Version("2.2.0")
package org.mobilevpn.api.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
