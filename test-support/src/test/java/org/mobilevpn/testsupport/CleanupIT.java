package org.mobilevpn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The extension cleans up after failing, timed-out and passing tests, keeps class-scoped resources until
 * the class ends, and catches namespaces a test forgot to close.
 */
@SystemTest(tag = "tsclean", requires = {"sleep"})
class CleanupIT {

    static volatile long failedPid;
    static volatile long timedOutPid;
    static volatile boolean classNsAliveDuringSecondTest;

    @SystemTest(tag = "tsinner", requires = {"sleep"})
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Inner {
        static Netns shared;

        @BeforeAll
        static void up(SystemTestContext ctx) {
            shared = ctx.netns("cls");
        }

        @Test
        @Order(1)
        void failsWithAProcessRunning(SystemTestContext ctx) {
            NsProcess p = ctx.netns("fail").start("sleeper", "sleep", "600");
            failedPid = p.pid();
            throw new IllegalStateException("deliberate failure");
        }

        @Test
        @Order(2)
        @Timeout(value = 1, unit = TimeUnit.SECONDS)
        void timesOut(SystemTestContext ctx) throws InterruptedException {
            NsProcess p = ctx.netns("slow").start("sleeper", "sleep", "600");
            timedOutPid = p.pid();
            Thread.sleep(30_000);
        }

        @Test
        @Order(3)
        void seesTheClassNamespace() {
            classNsAliveDuringSecondTest = Netns.list().contains(shared.name());
        }
    }

    @SystemTest(tag = "tsleak")
    static class Leaky {
        @Test
        void forgetsToClose() {
            Netns.create("tsleak", "forgot");
        }
    }

    @Test
    void failingAndTimedOutTestsLeaveNoNamespaceOrProcess() {
        InnerRun run = InnerRun.of(Inner.class);
        assertEquals("FAILED", run.outcome("failsWithAProcessRunning(SystemTestContext)").status(), run.outcomes.toString());
        assertEquals("FAILED", run.outcome("timesOut(SystemTestContext)").status(), run.outcomes.toString());
        assertEquals("SUCCESSFUL", run.outcome("Inner").status(), run.outcomes.toString());
        assertTrue(classNsAliveDuringSecondTest, "a @BeforeAll namespace lives until the class ends");
        assertTrue(failedPid > 0 && timedOutPid > 0);
        assertFalse(ProcessHandle.of(failedPid).map(ProcessHandle::isAlive).orElse(false), "process of failed test");
        assertFalse(ProcessHandle.of(timedOutPid).map(ProcessHandle::isAlive).orElse(false), "process of timed-out test");
        assertEquals(List.of(), namespaces("tsinner"));
    }

    @Test
    void aForgottenNamespaceFailsTheClassAndIsRemoved() {
        InnerRun run = InnerRun.of(Leaky.class);
        InnerRun.Outcome cls = run.outcome("Leaky");
        assertEquals("FAILED", cls.status(), run.outcomes.toString());
        assertTrue(cls.message().contains("mvpn-tsleak-forgot"), cls.message());
        assertEquals(List.of(), namespaces("tsleak"));
    }

    @Test
    void staleNamespacesOfTheSameTagAreRemovedOnFirstUse() {
        // a namespace as a killed run would leave it: created outside this JVM's bookkeeping
        Commands.check("ip", "netns", "add", "mvpn-tsstale-old");
        try (Netns fresh = Netns.create("tsstale", "new")) {
            assertFalse(Netns.list().contains("mvpn-tsstale-old"), "stale namespace of the tag is removed");
            assertTrue(Netns.list().contains(fresh.name()));
        } finally {
            if (Netns.list().contains("mvpn-tsstale-old")) {
                Commands.run("ip", "netns", "del", "mvpn-tsstale-old");
            }
        }
    }

    @Test
    void otherTagsAreNeverTouched() {
        Commands.check("ip", "netns", "add", "mvpn-tsother-live");
        try (Netns mine = Netns.create("tsmine", "a")) {
            assertTrue(Netns.list().contains("mvpn-tsother-live"));
        } finally {
            Commands.run("ip", "netns", "del", "mvpn-tsother-live");
        }
    }

    private static List<String> namespaces(String tag) {
        return Netns.list().stream().filter(n -> n.startsWith("mvpn-" + tag + "-")).toList();
    }
}
