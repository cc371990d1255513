package org.mobilevpn.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ExecutorPolicySchedulerTest {

    @Test
    void tasksRunInOrderOnOneThreadAndAThrowingTaskDoesNotStopIt() {
        List<RuntimeException> errors = new CopyOnWriteArrayList<>();
        List<String> order = new ArrayList<>();
        try (ExecutorPolicyScheduler s = new ExecutorPolicyScheduler("test-policy", errors::add)) {
            s.execute(() -> order.add("a"));
            s.execute(() -> {
                throw new IllegalStateException("boom");
            });
            s.execute(() -> order.add("b"));
            String thread = s.call(() -> Thread.currentThread().getName(), Duration.ofSeconds(10));
            assertEquals("test-policy", thread);
            assertEquals(List.of("a", "b"), s.call(() -> List.copyOf(order), Duration.ofSeconds(10)));
            assertEquals("boom", errors.get(0).getMessage());
            assertNotEquals("test-policy", Thread.currentThread().getName());
        }
    }

    @Test
    void callFromThePolicyThreadItselfRunsDirectlyInsteadOfDeadlocking() {
        try (ExecutorPolicyScheduler s = new ExecutorPolicyScheduler("test-policy", e -> { })) {
            int nested = s.call(() -> s.call(() -> 42, Duration.ofSeconds(1)), Duration.ofSeconds(10));
            assertEquals(42, nested);
        }
    }

    @Test
    void exceptionsOfACallReachTheCallerAsThemselves() {
        try (ExecutorPolicyScheduler s = new ExecutorPolicyScheduler("test-policy", e -> { })) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.call(() -> {
                throw new IllegalArgumentException("no profile named 'x'");
            }, Duration.ofSeconds(10)));
            assertEquals("no profile named 'x'", e.getMessage());
        }
    }

    @Test
    void afterCloseCallsFailWithAClearMessage() {
        ExecutorPolicyScheduler s = new ExecutorPolicyScheduler("test-policy", e -> { });
        s.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.call(() -> 1, Duration.ofSeconds(1)));
        assertEquals("the policy manager is stopping", e.getMessage());
    }
}
