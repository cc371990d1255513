package org.mobilevpn.webconsole;

import java.time.Instant;
import java.util.List;

/**
 * What the VPN page, its JSON, the metrics and the inventory printer show: one immutable status model
 * taken at one moment from the api services. Everything the page displays is in here, already derived
 * (throughput, time to next rekey, errors in words), so no renderer computes anything.
 *
 * @param takenAt          when the snapshot was taken
 * @param managerAvailable whether the Policy Manager (VpnManager service) answered
 * @param managerProblem   why its status could not be read, or {@code null}
 * @param connections      one view per connection, sorted by name
 * @param provisioning     the last provisioning check, or {@code null} without the ProvisioningCheck service
 * @param eventsAvailable  whether a connection event log service is present
 * @param events           the most recent connection events, newest first
 * @param profileProblems  what is wrong with invalid profile configurations ({@code NAME: key: message}),
 *                         those that never were valid (no connection) and rejected updates alike
 */
record StatusSnapshot(Instant takenAt, boolean managerAvailable, String managerProblem,
        List<ConnectionView> connections, ProvisioningView provisioning, boolean eventsAvailable,
        List<EventView> events, List<String> profileProblems) {

    StatusSnapshot {
        connections = List.copyOf(connections);
        events = List.copyOf(events);
        profileProblems = List.copyOf(profileProblems);
    }
}
