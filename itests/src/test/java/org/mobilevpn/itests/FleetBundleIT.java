package org.mobilevpn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;
import java.util.List;
import org.junit.Test;
import org.mobilevpn.api.profile.ProvisioningCheck;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The fleet feature in the runtime's bundle set: off without its configuration (no component instance,
 * nothing flagged), on with one, and an unusable configuration is reported by key in the provisioning
 * check without the agent running. The bundle stops and starts again cleanly. No broker is reached here
 * (the framework runs in the root namespace): FleetIT runs the agent against a real broker.
 */
public class FleetBundleIT extends RuntimeTestBase {
    private static final long SETTLE_MILLIS = 20_000;
    private static final String COMPONENT = "org.mobilevpn.fleet.FleetComponent";

    @Test
    public void offWithoutConfigurationReportedWhenUnusableAndStopsCleanly() throws Exception {
        assertEquals(List.of(), new RuntimeHealth(context).awaitSettled(SETTLE_MILLIS));
        Bundle fleet = find("org.mobilevpn.fleet");
        assertNotNull("the fleet feature is in the runtime", fleet);
        assertEquals(Bundle.ACTIVE, fleet.getState());
        assertEquals("no configuration, no agent", 0, configurations().size());
        assertTrue(fleetLines().isEmpty());

        ConfigurationAdmin cm = service(ConfigurationAdmin.class);
        Configuration c = cm.getConfiguration("org.mobilevpn.fleet", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("broker", "tcp://broker.invalid:1883");
        props.put("device_id", "itest");
        c.update(props);
        List<ProvisioningItem> lines = awaitFleetLines();
        assertEquals(1, lines.size());
        assertFalse(lines.get(0).passed());
        assertTrue(lines.get(0).detail(), lines.get(0).detail().contains("broker: a tcp:// broker carries policies and commands in clear text"));
        assertEquals(ComponentConfigurationDTO.ACTIVE, configurations().get(0).state);
        assertFalse("the agent does not run with an unusable configuration", agentThreadRuns());

        fleet.stop();
        assertEquals(Bundle.RESOLVED, fleet.getState());
        assertFalse(agentThreadRuns());
        fleet.start();
        assertEquals(1, awaitFleetLines().size());

        c.delete();
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (!fleetLines().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue("gone with its configuration", fleetLines().isEmpty());
        assertEquals(List.of(), new RuntimeHealth(context).awaitSettled(SETTLE_MILLIS));
    }

    private List<ComponentConfigurationDTO> configurations() {
        ServiceComponentRuntime scr = service(ServiceComponentRuntime.class);
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(find("org.mobilevpn.fleet"))) {
            if (d.name.equals(COMPONENT)) {
                return List.copyOf(scr.getComponentConfigurationDTOs(d));
            }
        }
        throw new AssertionError(COMPONENT + " is not described");
    }

    private List<ProvisioningItem> fleetLines() {
        return service(ProvisioningCheck.class).check().items().stream().filter(i -> i.check().startsWith("fleet")).toList();
    }

    private List<ProvisioningItem> awaitFleetLines() throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        List<ProvisioningItem> lines = fleetLines();
        while (lines.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            lines = fleetLines();
        }
        return lines;
    }

    private static boolean agentThreadRuns() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("mobilevpn-fleet")
                || t.getName().startsWith("MQTT"));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        assertNotNull(type.getName(), ref);
        return context.getService(ref);
    }

    private Bundle find(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
