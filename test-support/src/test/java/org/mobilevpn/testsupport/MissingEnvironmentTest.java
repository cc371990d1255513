package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A system test whose environment is incomplete is skipped with a message naming what is missing, or
 * fails when CI=true (so CI can never pass by skipping).
 */
class MissingEnvironmentTest {

    static boolean ran;

    @SystemTest(tag = "tsmiss", requires = {"mvpn-no-such-tool"})
    static class NeedsAMissingTool {
        @Test
        void body() {
            ran = true;
        }
    }

    @Test
    void classIsSkippedOrFailsInCiAndNeverRuns() {
        InnerRun run = InnerRun.of(NeedsAMissingTool.class);
        InnerRun.Outcome outcome = run.outcome("NeedsAMissingTool");
        assertFalse(ran, "the test body must not run");
        assertTrue(outcome.message().contains("missing tool 'mvpn-no-such-tool'"), outcome.toString());
        if (Environment.isCi()) {
            assertEquals("FAILED", outcome.status(), outcome.toString());
        } else {
            assertEquals("ABORTED", outcome.status(), outcome.toString());
            assertTrue(outcome.message().contains("set CI=true to make this fail"), outcome.toString());
        }
    }

    @Test
    void everyIpToolNeededByTheHarnessIsFoundWhenPresent() {
        // "sh" exists on every machine that can run the harness; a name nobody has is reported
        assertTrue(Environment.find("sh").isPresent());
        assertTrue(Environment.missing("mvpn-no-such-tool").stream().anyMatch(m -> m.contains("mvpn-no-such-tool")));
    }
}
