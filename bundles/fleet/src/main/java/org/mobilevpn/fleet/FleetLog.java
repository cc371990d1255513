package org.mobilevpn.fleet;

/** Where the agent logs: the OSGi Logger in the runtime, stderr in the simulator and the CLI. Never a secret. */
public interface FleetLog {
    void info(String message);

    void warn(String message);

    void error(String message);

    /** Lines to stderr with a prefix. */
    static FleetLog stderr(String prefix, boolean verbose) {
        return new FleetLog() {
            @Override
            public void info(String message) {
                if (verbose) {
                    System.err.println(prefix + message);
                }
            }

            @Override
            public void warn(String message) {
                System.err.println(prefix + "WARN " + message);
            }

            @Override
            public void error(String message) {
                System.err.println(prefix + "ERROR " + message);
            }
        };
    }
}
