package org.mobilevpn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import org.osgi.framework.Bundle;

/** The runtime's bundle set starts completely: every bundle active, every DS component satisfied. */
public class RuntimeStartsIT extends RuntimeTestBase {

    /** Long enough for asynchronous starts (configurations, extenders) on a loaded 2-core machine. */
    private static final long SETTLE_MILLIS = 20_000;

    @Test
    public void everyBundleIsActiveAndEveryComponentSatisfied() throws Exception {
        List<String> problems = new RuntimeHealth(context).awaitSettled(SETTLE_MILLIS);
        assertEquals("not running:\n" + String.join("\n", problems), List.of(), problems);
    }

    @Test
    public void theFrameworkServicesAndOurBundlesAreThere() {
        Set<String> names = new HashSet<>();
        for (Bundle bundle : context.getBundles()) {
            names.add(bundle.getSymbolicName());
        }
        for (String expected : List.of("org.apache.felix.scr", "org.apache.felix.configadmin",
                "org.apache.felix.eventadmin", "org.apache.felix.log", "org.apache.felix.metatype",
                "org.apache.felix.fileinstall", "org.apache.felix.gogo.runtime", "org.mobilevpn.api",
                "org.mobilevpn.shell", "com.fasterxml.jackson.core.jackson-core", "com.fasterxml.jackson.jr.jackson-jr-objects")) {
            assertTrue(expected + " is missing from the runtime's bundle set " + names, names.contains(expected));
        }
        for (java.io.File jar : RuntimeBundleSet.ourBundles()) {
            String symbolicName = jar.getName().replaceFirst("-\\d.*\\.jar$", "");
            assertTrue(jar.getName() + " from deploy/ is not installed", names.contains(symbolicName));
        }
    }
}
