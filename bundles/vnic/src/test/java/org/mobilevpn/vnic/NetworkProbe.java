package org.mobilevpn.vnic;

import java.util.stream.Collectors;
import org.mobilevpn.testsupport.TestLogger;

/**
 * A process the system test starts inside a namespace: watches the namespace's networks as the runtime does
 * (real rtnetlink, burst and settle times as in the component, our devices ({@code mvpn} and a number) left out as by the component) and prints each
 * published state as one line {@code STATE <description> | <routes>}, until stdin closes.
 */
public final class NetworkProbe {
    public static void main(String[] args) throws Exception {
        try (KernelNetworkWatch w = KernelNetworkWatch.start(name -> VnicSettings.isOwnDevice(name, "mvpn"),
                NetworkWatcherComponent.BURST_MILLIS, NetworkWatcherComponent.SETTLE_MILLIS, s -> {
                    String routes = s.routes().stream().map(r -> r.destination() + (r.gateway() == null ? ""
                            : " via " + r.gateway().getHostAddress()) + " #" + r.linkIndex() + " m" + r.metric())
                            .collect(Collectors.joining(", "));
                    System.out.println("STATE " + NetworkWatcherComponent.describe(s) + " | " + routes);
                    System.out.flush();
                }, new TestLogger())) {
            while (System.in.read() >= 0) {
                // runs until the test closes our stdin
            }
        }
    }
}
