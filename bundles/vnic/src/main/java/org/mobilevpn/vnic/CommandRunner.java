package org.mobilevpn.vnic;

import java.io.IOException;
import java.util.List;

/** Runs a command line such as {@code ip route add ...}; injectable so command generation is testable. */
interface CommandRunner {

    /** The exit code and the combined output of one command. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> command) throws IOException;
}
