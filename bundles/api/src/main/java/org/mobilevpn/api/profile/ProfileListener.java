package org.mobilevpn.api.profile;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener: register a service of this type to hear about profile changes. On
 * registration it first receives an {@link ProfileEvent.Kind#ADDED} for every profile that is
 * already valid, so it needs no separate initial query. Events arrive one at a time, in order, on a
 * thread of the registry; a listener must not block.
 */
@ConsumerType
public interface ProfileListener {

    void profileChanged(ProfileEvent event);
}
