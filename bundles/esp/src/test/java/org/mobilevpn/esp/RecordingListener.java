package org.mobilevpn.esp;

import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspTransform;
import org.mobilevpn.api.esp.LifetimeLimit;

/** Remembers lifetime events in order, as "soft PACKETS" / "hard BYTES". */
final class RecordingListener implements EspSaListener {

    final List<String> events = new ArrayList<>();

    @Override
    public void softLimitReached(EspTransform transform, LifetimeLimit limit) {
        events.add("soft " + limit);
    }

    @Override
    public void hardLimitReached(EspTransform transform, LifetimeLimit limit) {
        events.add("hard " + limit);
    }
}
