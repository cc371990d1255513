package org.mobilevpn.api.policy;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where a policy manager that goes away while the framework runs (its bundle is updated) leaves its
 * established connections as {@link ConnectionRecord}s, and where its successor takes them from: a service of
 * a bundle other than the policy's, so the records outlive the policy bundle. In memory only. Records nobody
 * takes within a while are given up ({@link ConnectionRecord#close()}); so are those still held when the
 * service itself goes.
 *
 * @since 2.2
 */
@ProviderType
public interface ConnectionHandOver {

    /** Keeps {@code record} for the next policy manager; this service owns it from now on. */
    void keep(ConnectionRecord record);

    /** Every record kept and not given up yet; the caller owns them from now on. */
    List<ConnectionRecord> takeAll();
}
