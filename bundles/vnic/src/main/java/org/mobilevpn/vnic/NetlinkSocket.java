package org.mobilevpn.vnic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An rtnetlink socket ({@code socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)}, netlink(7)) through libc by JNA direct
 * mapping: joined to multicast groups it hears the kernel's link, address and route changes; without groups it
 * sends dump requests and reads their answers. A receive timeout lets the reading thread notice that it should stop.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOCKADDR_NL = 12;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOBUFS = 105;
    /** Room for the largest datagram a dump answer uses (the kernel fills up to 32 KiB per datagram). */
    static final int RECEIVE_BUFFER = 65536;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int bind(int fd, long address, int length) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, long value, int length) throws LastErrorException;

    private static native long sendto(int fd, long buffer, long length, int flags, long address, int addressLength);

    private static native long recv(int fd, long buffer, long length, int flags);

    private static native int close(int fd);

    private static native String strerror(int errno);

    /** What {@link #receive} found. */
    enum Outcome {
        /** Messages arrived. */
        DATA,
        /** Nothing within the receive timeout. */
        TIMEOUT,
        /** The kernel dropped notifications because our buffer was full (ENOBUFS): the state must be read anew. */
        OVERRUN
    }

    private final int fd;
    private final Memory kernel = new Memory(SOCKADDR_NL);
    private volatile boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
        kernel.clear();
        kernel.setShort(0, (short) AF_NETLINK); // nl_pid 0: the kernel
    }

    /**
     * @param groups              the RTMGRP_* multicast groups to join, 0 for a request socket
     * @param receiveTimeoutMillis how long {@link #receive} waits at most
     */
    static NetlinkSocket open(int groups, int receiveTimeoutMillis) throws IOException {
        int fd;
        try {
            fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_NETLINK, NETLINK_ROUTE): " + strerror(e.getErrorCode()));
        }
        try (Memory sa = new Memory(SOCKADDR_NL); Memory v = new Memory(16)) {
            sa.clear();
            sa.setShort(0, (short) AF_NETLINK);
            sa.setInt(8, groups);
            bind(fd, Pointer.nativeValue(sa), SOCKADDR_NL);
            v.setInt(0, 1 << 20); // a burst of changes (an interface with many routes going away) must fit
            try {
                setsockopt(fd, SOL_SOCKET, SO_RCVBUF, Pointer.nativeValue(v), 4);
            } catch (LastErrorException ignored) {
                // the default size; an overrun makes us read the state anew
            }
            v.setLong(0, receiveTimeoutMillis / 1000);
            v.setLong(8, (receiveTimeoutMillis % 1000) * 1000L);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, Pointer.nativeValue(v), 16);
            return new NetlinkSocket(fd);
        } catch (LastErrorException e) {
            close(fd);
            throw new IOException("netlink socket: " + strerror(e.getErrorCode()));
        }
    }

    /** Sends a request (between the buffer's position and limit, a direct buffer) to the kernel. */
    void send(ByteBuffer request) throws IOException {
        long n = sendto(fd, Pointer.nativeValue(Native.getDirectBufferPointer(request)) + request.position(),
                request.remaining(), 0, Pointer.nativeValue(kernel), SOCKADDR_NL);
        if (n < 0) {
            throw new IOException("netlink send: " + strerror(Native.getLastError()));
        }
    }

    /**
     * Receives one datagram into {@code buf} (direct, cleared by this call): on {@link Outcome#DATA} the buffer holds
     * it from position 0 to its limit.
     *
     * @throws IOException when the socket is closed or fails
     */
    Outcome receive(ByteBuffer buf) throws IOException {
        while (true) {
            if (closed) {
                throw new IOException("netlink socket closed");
            }
            buf.clear();
            long n = recv(fd, Pointer.nativeValue(Native.getDirectBufferPointer(buf)), buf.capacity(), 0);
            if (n >= 0) {
                buf.limit((int) n);
                return Outcome.DATA;
            }
            int errno = Native.getLastError();
            if (errno == EAGAIN) {
                return Outcome.TIMEOUT;
            }
            if (errno == ENOBUFS) {
                return Outcome.OVERRUN;
            }
            if (errno != EINTR) {
                throw new IOException("netlink receive: " + strerror(errno));
            }
        }
    }

    /** Closes the descriptor; a thread blocked in {@link #receive} must have stopped (it waits at most its timeout). */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            close(fd);
        }
    }
}
