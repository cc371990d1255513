package org.mobilevpn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Each of our bundles can be updated in the running framework (and its dependents refreshed)
 * without leaving anything stopped or unsatisfied: the hot deployment an operator relies on.
 */
public class BundleUpdateIT extends RuntimeTestBase {

    private static final long SETTLE_MILLIS = 20_000;

    @Test
    public void everyOneOfOurBundlesSurvivesAnUpdateAndRefresh() throws Exception {
        RuntimeHealth health = new RuntimeHealth(context);
        assertEquals(List.of(), health.awaitSettled(SETTLE_MILLIS));
        for (File jar : RuntimeBundleSet.ourBundles()) {
            String symbolicName = jar.getName().replaceFirst("-\\d.*\\.jar$", "");
            Bundle bundle = find(symbolicName);
            assertNotNull(symbolicName + " is not installed", bundle);
            long modifiedBefore = bundle.getLastModified();
            try (InputStream in = new FileInputStream(jar)) {
                bundle.update(in);
            }
            refresh(bundle);
            List<String> problems = health.awaitSettled(SETTLE_MILLIS);
            assertEquals("after updating " + symbolicName + ":\n" + String.join("\n", problems), List.of(), problems);
            assertEquals(Bundle.ACTIVE, bundle.getState());
            assertTrue(symbolicName + " was not updated", bundle.getLastModified() > modifiedBefore);
        }
    }

    private Bundle find(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("refresh after updating " + bundle.getSymbolicName() + " did not finish");
        }
    }
}
