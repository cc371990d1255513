package org.mobilevpn.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;

class CheckCommandTest {

    @Test
    void aPassingReportIsATable() {
        CheckCommand c = new CheckCommand(() -> new ProvisioningReport(List.of(
                new ProvisioningItem("tun", true, "/dev/net/tun opens read/write"),
                new ProvisioningItem("cap_net_admin", true, "held"))));
        assertEquals("RESULT  CHECK          DETAIL\n"
                + "ok      tun            /dev/net/tun opens read/write\n"
                + "ok      cap_net_admin  held\n", c.check());
    }

    @Test
    void aFailingReportFailsTheCommandWithTheWholeTable() {
        CheckCommand c = new CheckCommand(() -> new ProvisioningReport(List.of(
                new ProvisioningItem("tun", true, "/dev/net/tun opens read/write"),
                new ProvisioningItem("service IkeEngine", false, "missing: start the ike bundle"))));
        IllegalStateException e = assertThrows(IllegalStateException.class, c::check);
        assertEquals("RESULT  CHECK              DETAIL\n"
                + "ok      tun                /dev/net/tun opens read/write\n"
                + "FAIL    service IkeEngine  missing: start the ike bundle", e.getMessage());
    }

    @Test
    void withoutTheCheckServiceTheCommandSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CheckCommand(null).check());
        assertEquals("no ProvisioningCheck service: is the csp bundle active? (vpn:health)", e.getMessage());
    }
}
