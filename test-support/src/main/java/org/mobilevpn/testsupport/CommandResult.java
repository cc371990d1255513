package org.mobilevpn.testsupport;

import java.util.List;

/**
 * Outcome of a finished command: exit code and captured output.
 *
 * @param command the argument vector that was run
 * @param exitCode the process exit code
 * @param stdout everything the command wrote to standard output
 * @param stderr everything the command wrote to standard error
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** @return true when the exit code is 0 */
    public boolean ok() {
        return exitCode == 0;
    }

    /**
     * Fails unless the command exited with 0.
     *
     * @return this result, for chaining
     * @throws CommandFailedException naming the command, exit code and output
     */
    public CommandResult check() {
        if (!ok()) {
            throw new CommandFailedException(this);
        }
        return this;
    }

    /** @return standard output split into lines (no trailing empty line) */
    public List<String> lines() {
        return stdout.isEmpty() ? List.of() : List.of(stdout.split("\\R"));
    }
}
