package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.datapath.DataPath;
import org.mobilevpn.api.ike.IkeEngine;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;
import org.mobilevpn.api.vnic.VirtualNicFactory;

class ProvisioningCheckTest {
    @TempDir
    Path dir;

    Path status(String capEff) throws Exception {
        return Files.writeString(dir.resolve("status"), "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t" + capEff + "\nCapBnd:\t000001ffffffffff\n");
    }

    @Test
    void capNetAdminIsBitTwelveOfTheEffectiveSet() throws Exception {
        ProvisioningProbe root = new ProvisioningProbe(dir.resolve("tun"), status("000001ffffffffff"));
        assertTrue(root.capNetAdmin().passed());
        ProvisioningProbe only = new ProvisioningProbe(dir.resolve("tun"), status("0000000000001000"));
        assertTrue(only.capNetAdmin().passed(), "exactly CAP_NET_ADMIN");
        ProvisioningItem without = new ProvisioningProbe(dir.resolve("tun"), status("000001ffffffefff")).capNetAdmin();
        assertFalse(without.passed(), "everything but bit 12");
        assertTrue(without.detail().contains("AmbientCapabilities=CAP_NET_ADMIN"), without.detail());
        assertFalse(new ProvisioningProbe(dir.resolve("tun"), dir.resolve("none")).capNetAdmin().passed());
        assertFalse(new ProvisioningProbe(dir.resolve("tun"), status("zz")).capNetAdmin().passed());
    }

    @Test
    void tunMustBeAnOpenableCharacterDevice() throws Exception {
        ProvisioningItem missing = new ProvisioningProbe(dir.resolve("tun"), dir.resolve("status")).tun();
        assertFalse(missing.passed());
        assertTrue(missing.detail().contains("does not exist: load the tun module"), missing.detail());
        assertFalse(Files.exists(dir.resolve("tun")), "checking must never create the device path");

        Path regular = Files.writeString(dir.resolve("tun"), "not a device");
        ProvisioningItem file = new ProvisioningProbe(regular, dir.resolve("status")).tun();
        assertFalse(file.passed());
        assertTrue(file.detail().contains("is not a character device"), file.detail());
    }

    @Test
    void theRealTunDeviceOnThisMachine() {
        Path tun = Path.of("/dev/net/tun");
        Assumptions.assumeTrue(Files.isReadable(tun) && Files.isWritable(tun), "no usable /dev/net/tun on this machine");
        ProvisioningItem item = ProvisioningProbe.linux().tun();
        assertTrue(item.passed(), item.toString());
        assertEquals("/dev/net/tun opens read/write", item.detail());
    }

    @Test
    void namesEveryMissingService() throws Exception {
        ProvisioningCheckComponent check = new ProvisioningCheckComponent(new ProvisioningProbe(dir.resolve("tun"), status("1000")));
        ProvisioningReport report = check.check();
        assertFalse(report.passed());
        assertEquals(List.of("tun", "cap_net_admin", "service IkeEngine", "service DataPath", "service VirtualNicFactory"),
                report.items().stream().map(ProvisioningItem::check).toList());
        assertTrue(report.lines().get(2).startsWith("FAIL  service IkeEngine  missing: is bundle org.mobilevpn.ike active"),
                report.lines().toString());

        check.ikeEngine = stub(IkeEngine.class);
        check.dataPath = stub(DataPath.class);
        check.virtualNicFactory = stub(VirtualNicFactory.class);
        report = check.check();
        assertEquals(List.of(true, true, true), report.items().subList(2, 5).stream().map(ProvisioningItem::passed).toList());
        assertEquals(5, report.lines().size(), "one line per check");
    }

    @Test
    void contributorsAddTheirLinesAfterOursAndAFailingOneIsALine() throws Exception {
        ProvisioningCheckComponent check = new ProvisioningCheckComponent(new ProvisioningProbe(dir.resolve("tun"), status("1000")));
        check.contributors.add(() -> List.of(new ProvisioningItem("fleet broker", false, "tcp://198.51.100.3:1883 is plain TCP")));
        check.contributors.add(() -> {
            throw new IllegalStateException("broken");
        });
        List<ProvisioningItem> items = check.check().items();
        assertEquals(List.of("fleet broker", "contributor"), items.subList(5, 7).stream().map(ProvisioningItem::check).toList());
        assertFalse(items.get(5).passed());
        assertEquals("failed: IllegalStateException", items.get(6).detail());
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> null);
    }
}
