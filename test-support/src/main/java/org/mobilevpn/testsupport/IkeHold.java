package org.mobilevpn.testsupport;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds back the IKE messages a namespace sends on UDP port 4500 (those behind the four-byte non-ESP marker,
 * RFC 3948 §2.2) in a queue on one interface until {@link #release()}, while ESP and everything else passes:
 * two requests sent while both ends are held cross on the wire for certain, as a simultaneous rekey needs.
 * Nothing is dropped; the held datagrams leave in order when released. Only IKE datagrams of 128 bytes and
 * more (IP length) are held: CREATE_CHILD_SA requests and answers are larger, while liveness checks, deletes
 * and their answers are smaller and pass, so a liveness check that happens to go out meanwhile is neither held
 * nor taken for the request a test waits for.
 *
 * <p>This kernel has no netem (nor plug), so the hold is built from what it has (iproute2's {@code tc}):
 * an HTB root whose default class passes everything at line rate, and u32 filters (IPv4 without options: IP
 * length at offset 2, UDP destination port at 22, the marker at 28) that steer those IKE datagrams into a
 * second class whose leaf is a token bucket of 64 bit/s. The bucket starts full (one frame's worth);
 * {@link #on} empties it with one datagram to the discard port (9, steered there too), so every datagram
 * after it waits for tokens that take minutes to come. {@link #release()} changes the bucket to 10 Gbit/s, which refills it at once, and
 * sends one more datagram to port 9 to make the queue run.
 */
public final class IkeHold implements AutoCloseable {
    private static final Pattern TBF_BACKLOG = Pattern.compile("qdisc tbf 20:.*?backlog \\S+ (\\d+)p", Pattern.DOTALL);
    /** The largest frame on a 1500-byte link (Ethernet header counted, as the qdisc does). */
    private static final int FRAME = 1514;

    private final Netns ns;
    private final String dev;
    private final String peerIp;
    private boolean released;

    private IkeHold(Netns ns, String dev, String peerIp) {
        this.ns = ns;
        this.dev = dev;
        this.peerIp = peerIp;
    }

    /**
     * Starts holding IKE datagrams that {@code ns} sends out of {@code dev}.
     *
     * @param ns     the namespace
     * @param dev    its interface toward the peer
     * @param peerIp an IPv4 address on that link (the discard datagrams go there; its kernel drops them)
     * @return the hold; close it to remove the queue (after a release, or the held datagrams are lost)
     */
    public static IkeHold on(Netns ns, String dev, String peerIp) {
        IkeHold hold = new IkeHold(ns, dev, peerIp);
        try {
            hold.tc("qdisc", "add", "dev", dev, "root", "handle", "1:", "htb", "default", "1");
            hold.tc("class", "add", "dev", dev, "parent", "1:", "classid", "1:1", "htb", "rate", "10gbit");
            hold.tc("class", "add", "dev", dev, "parent", "1:", "classid", "1:2", "htb", "rate", "10gbit");
            // 1514 bytes at 64 bit/s is 189 s of tokens: the largest that fits tc's 32-bit tick count
            hold.tc("qdisc", "add", "dev", dev, "parent", "1:2", "handle", "20:", "tbf", "rate", "64bit", "burst",
                    Integer.toString(FRAME), "limit", "1000000");
            // IKE datagrams under 128 bytes (liveness checks, deletes and their answers) pass ...
            hold.tc("filter", "add", "dev", dev, "parent", "1:", "protocol", "ip", "prio", "1", "u32",
                    "match", "u16", "0", "0xff80", "at", "2", "match", "u8", "17", "0xff", "at", "9",
                    "match", "u16", "4500", "0xffff", "at", "22", "match", "u32", "0", "0xffffffff", "at", "28",
                    "flowid", "1:1");
            // ... larger ones (CREATE_CHILD_SA requests and answers) are held
            hold.tc("filter", "add", "dev", dev, "parent", "1:", "protocol", "ip", "prio", "2", "u32",
                    "match", "u8", "17", "0xff", "at", "9", "match", "u16", "4500", "0xffff", "at", "22",
                    "match", "u32", "0", "0xffffffff", "at", "28", "flowid", "1:2");
            hold.tc("filter", "add", "dev", dev, "parent", "1:", "protocol", "ip", "prio", "3", "u32",
                    "match", "u8", "17", "0xff", "at", "9", "match", "u16", "9", "0xffff", "at", "22", "flowid", "1:2");
            hold.discard(FRAME - 14 - 28); // a full frame empties the bucket
            return hold;
        } catch (RuntimeException e) {
            hold.close();
            throw e;
        }
    }

    /** @return IKE datagrams waiting in the hold now */
    public int held() {
        Matcher m = TBF_BACKLOG.matcher(ns.execChecked("tc", "-s", "qdisc", "show", "dev", dev).stdout());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /**
     * Waits until at least {@code count} IKE datagrams are held.
     *
     * @throws AssertionError when {@code timeout} passes first
     */
    public void awaitHeld(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int held = held();
        while (held < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(held + " IKE datagrams held on " + dev + " in " + ns.name() + " after "
                        + timeout + ", expected " + count);
            }
            Netns.sleep(20);
            held = held();
        }
    }

    /** Lets the held datagrams go (in order) and everything after them pass. */
    public void release() {
        tc("qdisc", "change", "dev", dev, "parent", "1:2", "handle", "20:", "tbf", "rate", "10gbit", "burst", "1mb",
                "limit", "1000000");
        released = true;
        discard(1); // the queue runs again only when something is sent through it
    }

    /** Removes the queue; datagrams still held are dropped. */
    @Override
    public void close() {
        ns.exec("tc", "qdisc", "del", "dev", dev, "root");
    }

    /** @return whether {@link #release()} was called */
    public boolean released() {
        return released;
    }

    private void discard(int bytes) {
        ns.execChecked("bash", "-c", "head -c \"$1\" /dev/zero > \"/dev/udp/$2/9\"", "bash", Integer.toString(bytes), peerIp);
    }

    private void tc(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "tc";
        System.arraycopy(args, 0, argv, 1, args.length);
        ns.execChecked(argv);
    }
}
