package org.mobilevpn.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Last-resort cleanup: every namespace and process the harness creates is listed here until it is
 * closed, and a JVM shutdown hook closes whatever is still open (newest first) when the JVM exits
 * without the test having done it, e.g. after SIGTERM or an uncaught error. A JVM killed with SIGKILL
 * runs no hook; its namespaces are removed by the next run ({@link NamespaceLock}).
 */
final class Janitor {

    private static final Set<AutoCloseable> OPEN = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private Janitor() {
    }

    static synchronized void track(AutoCloseable resource) {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Janitor::closeAll, "mvpn-harness-cleanup"));
            hookInstalled = true;
        }
        OPEN.add(resource);
    }

    static synchronized void untrack(AutoCloseable resource) {
        OPEN.remove(resource);
    }

    /** @return the open resources of a type, oldest first */
    static synchronized <T> java.util.List<T> open(Class<T> type) {
        List<T> list = new ArrayList<>();
        for (AutoCloseable c : OPEN) {
            if (type.isInstance(c)) {
                list.add(type.cast(c));
            }
        }
        return list;
    }

    private static void closeAll() {
        List<AutoCloseable> open;
        synchronized (Janitor.class) {
            open = new ArrayList<>(OPEN);
        }
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                System.err.println("mvpn harness: cleanup of " + open.get(i) + " failed: " + e);
            }
        }
    }
}
