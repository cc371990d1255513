package org.mobilevpn.testsupport;

/** Thrown when a harness command exits non-zero or times out; the message carries its output. */
public class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    /** @param result the failed command's result */
    public CommandFailedException(CommandResult result) {
        super("command failed (exit " + result.exitCode() + "): " + String.join(" ", result.command())
                + "\nstdout: " + result.stdout().strip() + "\nstderr: " + result.stderr().strip());
        this.result = result;
    }

    /** @param message what went wrong */
    public CommandFailedException(String message) {
        super(message);
        this.result = null;
    }

    /** @return the failed command's result, or null when the command did not finish */
    public CommandResult result() {
        return result;
    }
}
