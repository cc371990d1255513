package org.mobilevpn.csp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.profile.ProfileRegistry;
import org.mobilevpn.api.profile.ProvisioningItem;
import org.mobilevpn.api.profile.ProvisioningReport;
import org.mobilevpn.api.profile.VpnProfile;

/** A pre-shared key shorter than 20 characters draws a warning in the provisioning check, never a failure. */
class PskLengthTest {
    @TempDir
    Path home;

    private VpnProfile profile(String name, String psk) {
        Map<String, Object> m = ProfileParserTest.office();
        m.put("name", name);
        m.put("psk", psk);
        ParseResult r = new ProfileParser(home, ProfileParserTest.CREDENTIALS).parse(m, null, ProfileParserTest.VALIDATOR, "");
        assertTrue(r.valid(), r.problems().toString());
        return r.profile();
    }

    @Test
    void shortKeysAreNamedInAWarning() {
        ProvisioningItem item = PskLength.check(List.of(profile("office", "19-characters-long!"),
                profile("lab", "twenty-characters-ok"), profile("home", "0x00112233445566778899aabbccddeeff0011")));
        assertTrue(item.passed(), "a warning, not a failure: the tunnel works");
        assertTrue(item.warning(), item.toString());
        assertTrue(item.detail().startsWith("the pre-shared key of office, home is shorter than 20 characters"), item.detail());
        assertFalse(item.detail().contains("19-characters-long!"), "never the key itself");
        assertTrue(item.toString().startsWith("WARN  psk length  "), item.toString());
    }

    @Test
    void hexKeysCountTheirOctets() {
        assertTrue(PskLength.check(List.of(profile("office", "0x00112233445566778899aabbccddeeff0011"))).warning(),
                "18 octets written as 36 hex digits are short");
        assertFalse(PskLength.check(List.of(profile("office", "0x00112233445566778899aabbccddeeff00112233"))).warning());
    }

    @Test
    void longKeysAndProfilesWithoutAPskPassQuietly() {
        ProvisioningItem item = PskLength.check(List.of(profile("office", ProfileParserTest.PSK)));
        assertEquals(new ProvisioningItem("psk length", true, "no pre-shared key shorter than 20 characters"), item);
        assertEquals("ok    psk length  no pre-shared key shorter than 20 characters", item.toString());
    }

    @Test
    void theProvisioningCheckShowsTheWarningAndStillPasses() {
        ProvisioningCheckComponent check = new ProvisioningCheckComponent(new ProvisioningProbe(home.resolve("tun"), home.resolve("status")));
        List<VpnProfile> profiles = List.of(profile("office", "short"));
        check.profiles = (ProfileRegistry) Proxy.newProxyInstance(ProfileRegistry.class.getClassLoader(),
                new Class<?>[] {ProfileRegistry.class}, (p, m, a) -> m.getName().equals("profiles") ? profiles : Optional.empty());
        ProvisioningReport report = check.check();
        ProvisioningItem psk = report.items().stream().filter(i -> i.check().equals("psk length")).findFirst().orElseThrow();
        assertTrue(psk.warning(), report.toString());
    }
}
