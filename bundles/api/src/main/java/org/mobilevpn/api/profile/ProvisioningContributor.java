package org.mobilevpn.api.profile;

import java.util.List;

/**
 * Lines another bundle adds to the {@link ProvisioningCheck}, e.g. the fleet agent flagging a broker
 * reached without TLS. The check lists every contributor's items after its own.
 */
public interface ProvisioningContributor {

    /** This bundle's checks, run now; never throws. */
    List<ProvisioningItem> provisioningItems();
}
