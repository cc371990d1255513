package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

class HealthCommandTest {

    @Test
    void aJarOfDeployWithoutItsBundleIsNotInstalled() {
        Bundle[] bundles = {
            located("System Bundle"),
            located("file:/opt/mobilevpn/bundle/1/org.apache.felix.scr.jar"),
            located("file:/opt/mobilevpn/deploy/org.mobilevpn.ike.jar")
        };
        assertEquals(List.of("org.mobilevpn.datapath.jar"), List.copyOf(HealthCommand.notInstalled(bundles,
                List.of("org.mobilevpn.ike.jar", "org.mobilevpn.datapath.jar"))));
    }

    @Test
    void everyJarInstalledLeavesNothing() {
        Bundle[] bundles = {located("file:/opt/mobilevpn/deploy/a.jar"), located("file:/opt/mobilevpn/deploy/b.jar")};
        assertEquals(List.of(), List.copyOf(HealthCommand.notInstalled(bundles, List.of("b.jar", "a.jar"))));
    }

    private static Bundle located(String location) {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getLocation")) {
                        return location;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
