package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Naming rules that keep parallel runs apart. */
class SystemTestExtensionTest {

    @Test
    void tagIsDerivedFromTheClassName() {
        assertEquals("standardtopo", SystemTestExtension.deriveTag("StandardTopologyIT"));
        assertEquals("ikepsk", SystemTestExtension.deriveTag("IkePskTest"));
    }

    @Test
    void namespaceNamesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> Netns.create("with-dash", "gw"));
        assertThrows(IllegalArgumentException.class, () -> Netns.create("ok", "UPPER"));
    }
}
