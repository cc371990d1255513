package org.mobilevpn.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A tcpdump capture inside a namespace, written to a pcap file under the namespace's output directory.
 * Runs with {@code -U --immediate-mode} so nothing is buffered, is started only when tcpdump reports
 * "listening", and is stopped with SIGINT on its own PID followed by a wait, so the last packets
 * reach the file (strongswan-peer.md, "Pitfalls").
 *
 * <pre>{@code
 * try (TcpdumpCapture cap = TcpdumpCapture.start(net.client(), "wan0", "ike", "udp")) {
 *     ... traffic ...
 *     Path pcap = cap.stop();
 * }
 * }</pre>
 */
public final class TcpdumpCapture implements AutoCloseable {

    private final NsProcess tcpdump;
    private final Path file;

    private TcpdumpCapture(NsProcess tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /**
     * Starts capturing.
     *
     * @param ns namespace
     * @param ifname interface in it ({@code any} for all)
     * @param name base name of the pcap file ({@code <name>.pcap}) and of tcpdump's output files
     * @param filter optional pcap filter words, e.g. {@code "udp"} or {@code "udp", "port", "4500"}
     * @return the running capture
     */
    public static TcpdumpCapture start(Netns ns, String ifname, String name, String... filter) {
        Path file = ns.outputDir().resolve(name + ".pcap");
        List<String> argv = new ArrayList<>(List.of("tcpdump", "-i", ifname, "-n", "-U", "--immediate-mode", "-w",
                file.toString()));
        argv.addAll(List.of(filter));
        NsProcess p = NsProcess.start(ns, "tcpdump-" + name, Map.of(), argv);
        try {
            p.awaitOutput("listening on", Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return new TcpdumpCapture(p, file);
    }

    /** @return the pcap file (complete only after {@link #stop()}) */
    public Path file() {
        return file;
    }

    /**
     * Stops tcpdump (SIGINT, wait; SIGKILL only if it hangs) so the file is complete.
     *
     * @return the pcap file
     */
    public Path stop() {
        tcpdump.stop("INT", Duration.ofSeconds(5));
        return file;
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}
