package org.mobilevpn.fleet;

import java.util.Map;

/** Installs a checked {@link BundleImage} and rolls it back when it does not come up; {@link DeployDirectory} in the runtime. */
public interface BundleDeployer {

    /**
     * Deploys and waits for the outcome.
     *
     * @return what happened, as JSON values (bundle, version, state)
     * @throws BundleImage.RefusedException when it was refused or rolled back; the message says why
     */
    Map<String, Object> deploy(BundleImage image) throws BundleImage.RefusedException;
}
