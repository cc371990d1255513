package org.mobilevpn.vnic;

/**
 * The runtime process that leaves state behind for itself (a vnic bundle's kept TUN devices, the kill switch's
 * last reconcile), told apart from a later process with the same process ID: a container's JVM is often PID 1 at
 * every start, so after a crash the PID alone would call the dead process's state ours. Written as
 * {@code PID@start-time}.
 */
record RuntimeProcessId(long pid, String start) {

    static RuntimeProcessId current() {
        ProcessHandle self = ProcessHandle.current();
        return new RuntimeProcessId(self.pid(), self.info().startInstant().map(Object::toString).orElse("?"));
    }

    /**
     * Whether a mark names this process: its full form, or the process ID alone as the vnic bundle of an earlier
     * build wrote it (read during that one update only, in the same process).
     */
    boolean isNamedBy(String word) {
        return word.equals(toString()) || word.equals(Long.toString(pid));
    }

    @Override
    public String toString() {
        return pid + "@" + start;
    }
}
