package org.mobilevpn.datapath;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * A dual-stack UDP socket driven through libc (JNA direct mapping), for what
 * {@link java.nio.channels.DatagramChannel} cannot do: send a batch of equal-sized datagrams in
 * one call with UDP generic segmentation offload (UDP_SEGMENT, Linux udp(7)) and receive
 * coalesced batches (UDP_GRO) with their segment size. IPv4 peers are IPv4-mapped IPv6 addresses
 * (RFC 4291 §2.5.5.2).
 *
 * <p>Receiving is for one thread; each sending thread uses its own {@link Sender} (they hold the
 * native message headers), so no lock is shared between packet threads and the control path.
 */
final class NativeUdpSocket implements AutoCloseable {
    private static final int AF_INET6 = 10;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int UDP_GRO = 104;
    private static final int SHUT_RDWR = 2;
    private static final int EINTR = 4;
    static final int SOCKADDR_IN6 = 28;
    private static final int MSGHDR = 56;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, long value, int length) throws LastErrorException;

    private static native int bind(int fd, long address, int length) throws LastErrorException;

    private static native int getsockname(int fd, long address, long length) throws LastErrorException;

    private static native long sendto(int fd, long buffer, long length, int flags, long address, int addressLength);

    private static native long sendmsg(int fd, long msghdr, int flags);

    private static native long recvmsg(int fd, long msghdr, int flags);

    private static native int shutdown(int fd, int how);

    private static native int close(int fd);

    private static native String strerror(int errno);

    private final int fd;
    private final int port;
    private final boolean gro;
    private volatile boolean closed;
    // receive side: one thread
    private final Memory rxMsg = new Memory(MSGHDR);
    private final Memory rxIov = new Memory(16);
    private final Memory rxName = new Memory(SOCKADDR_IN6);
    private final Memory rxControl = new Memory(64);
    private ByteBuffer rxBuffer;
    private long rxAddress;
    private int rxGsoSize;

    private NativeUdpSocket(int fd, int port, boolean gro) {
        this.fd = fd;
        this.port = port;
        this.gro = gro;
        rxMsg.clear();
        rxMsg.setLong(0, Pointer.nativeValue(rxName));
        rxMsg.setLong(16, Pointer.nativeValue(rxIov));
        rxMsg.setLong(24, 1);
    }

    /**
     * Binds {@code address}:port, or [::]:port (every IPv4 and IPv6 address) when the address is null
     * or the wildcard, with large buffers and UDP_GRO when the kernel has it.
     */
    static NativeUdpSocket bind(InetAddress address, int port, int bufferBytes) throws IOException {
        int fd;
        try {
            fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IOException("socket(AF_INET6, SOCK_DGRAM): " + strerror(e.getErrorCode()));
        }
        try (Memory v = new Memory(4); Memory sa = new Memory(SOCKADDR_IN6); Memory len = new Memory(4)) {
            v.setInt(0, 0);
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, Pointer.nativeValue(v), 4);
            v.setInt(0, bufferBytes);
            trySetsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, v, SO_RCVBUF);
            trySetsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, v, SO_SNDBUF);
            v.setInt(0, 1);
            boolean gro = true;
            try {
                setsockopt(fd, SOL_UDP, UDP_GRO, Pointer.nativeValue(v), 4);
            } catch (LastErrorException e) {
                gro = false;
            }
            sa.clear();
            if (address != null && !address.isAnyLocalAddress()) {
                PeerAddress local = new PeerAddress(new InetSocketAddress(address, port));
                sa.write(0, local.sockaddr.getByteArray(0, SOCKADDR_IN6), 0, SOCKADDR_IN6);
            } else {
                sa.setShort(0, (short) AF_INET6);
                sa.setShort(2, Short.reverseBytes((short) port));
            }
            try {
                bind(fd, Pointer.nativeValue(sa), SOCKADDR_IN6);
            } catch (LastErrorException e) {
                throw new IOException("cannot bind UDP port " + port + ": " + strerror(e.getErrorCode()));
            }
            len.setInt(0, SOCKADDR_IN6);
            getsockname(fd, Pointer.nativeValue(sa), Pointer.nativeValue(len));
            int bound = Short.toUnsignedInt(Short.reverseBytes(sa.getShort(2)));
            return new NativeUdpSocket(fd, bound, gro);
        } catch (IOException | RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    private static void trySetsockopt(int fd, int level, int forced, Memory v, int plain) {
        try {
            setsockopt(fd, level, forced, Pointer.nativeValue(v), 4); // beyond rmem_max: needs CAP_NET_ADMIN
        } catch (LastErrorException e) {
            try {
                setsockopt(fd, level, plain, Pointer.nativeValue(v), 4);
            } catch (LastErrorException ignored) {
                // keep the default size
            }
        }
    }

    int port() {
        return port;
    }

    /** Whether received datagrams may be coalesced batches ({@link #lastGsoSize()}). */
    boolean gro() {
        return gro;
    }

    /**
     * Blocks for the next datagram (or GRO batch) into {@code dst} at its position; the limit is
     * set after it.
     *
     * @return its length, or -1 once the socket is closed
     */
    int receive(ByteBuffer dst) throws IOException {
        if (dst != rxBuffer) {
            rxBuffer = dst;
            rxAddress = Pointer.nativeValue(Native.getDirectBufferPointer(dst));
        }
        int pos = dst.position();
        while (true) {
            rxIov.setLong(0, rxAddress + pos);
            rxIov.setLong(8, dst.capacity() - pos);
            rxMsg.setInt(8, SOCKADDR_IN6);
            rxMsg.setLong(32, Pointer.nativeValue(rxControl));
            rxMsg.setLong(40, 64);
            long n = recvmsg(fd, Pointer.nativeValue(rxMsg), 0);
            if (closed) {
                return -1;
            }
            if (n >= 0) {
                rxGsoSize = groSize();
                dst.limit(pos + (int) n);
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno != EINTR) {
                throw new IOException("recvmsg: " + strerror(errno));
            }
        }
    }

    /** The UDP_GRO cmsg of the last receive: the size of each coalesced datagram, 0 when single. */
    int lastGsoSize() {
        return rxGsoSize;
    }

    private int groSize() {
        long controlLength = rxMsg.getLong(40);
        int off = 0;
        while (off + 16 <= controlLength) {
            long len = rxControl.getLong(off);
            int level = rxControl.getInt(off + 8);
            int type = rxControl.getInt(off + 12);
            if (level == SOL_UDP && type == UDP_GRO && len >= 20) {
                return rxControl.getInt(off + 16);
            }
            if (len < 16) {
                break;
            }
            off += (int) ((len + 7) & ~7L);
        }
        return 0;
    }

    /** The last datagram's source (allocates: for IKE, not for ESP). */
    InetSocketAddress lastSource() {
        return PeerAddress.decode(rxName);
    }

    Sender sender() {
        return new Sender();
    }

    /** Wakes the receiving thread (recvmsg returns) and closes the socket. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            shutdown(fd, SHUT_RDWR);
        }
    }

    /** Releases the descriptor once the receiving thread has stopped. */
    void release() {
        close(fd);
    }

    /** A peer's socket address, encoded once as sockaddr_in6 (IPv4-mapped for IPv4). */
    static final class PeerAddress {
        final InetSocketAddress address;
        final Memory sockaddr = new Memory(SOCKADDR_IN6);

        PeerAddress(InetSocketAddress a) {
            this.address = a;
            sockaddr.clear();
            sockaddr.setShort(0, (short) AF_INET6);
            sockaddr.setShort(2, Short.reverseBytes((short) a.getPort()));
            byte[] ip = a.getAddress().getAddress();
            if (ip.length == 4) {
                sockaddr.setShort(18, (short) 0xffff);
                sockaddr.write(20, ip, 0, 4);
            } else {
                sockaddr.write(8, ip, 0, 16);
                if (a.getAddress() instanceof Inet6Address) {
                    sockaddr.setInt(24, ((Inet6Address) a.getAddress()).getScopeId());
                }
            }
        }

        static InetSocketAddress decode(Memory sa) {
            int port = Short.toUnsignedInt(Short.reverseBytes(sa.getShort(2)));
            byte[] ip = sa.getByteArray(8, 16);
            try {
                boolean mapped = true;
                for (int i = 0; i < 10; i++) {
                    mapped &= ip[i] == 0;
                }
                mapped &= ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
                InetAddress a = mapped ? Inet4Address.getByAddress(java.util.Arrays.copyOfRange(ip, 12, 16))
                        : InetAddress.getByAddress(ip);
                return new InetSocketAddress(a, port);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Sends for one thread: plain datagrams, or a batch of equal-sized ones with UDP_SEGMENT. */
    final class Sender {
        private final Memory msg = new Memory(MSGHDR);
        private final Memory iov = new Memory(16);
        private final Memory control = new Memory(24); // CMSG_SPACE(sizeof(uint16_t))
        private ByteBuffer buffer;
        private long address;
        private boolean gsoWorks = true;

        private Sender() {
            msg.clear();
            msg.setLong(16, Pointer.nativeValue(iov));
            msg.setLong(24, 1);
            control.clear();
            control.setLong(0, 18); // CMSG_LEN(2)
            control.setInt(8, SOL_UDP);
            control.setInt(12, UDP_SEGMENT);
        }

        private long addressOf(ByteBuffer b) {
            if (b != buffer) {
                buffer = b;
                address = Pointer.nativeValue(Native.getDirectBufferPointer(b));
            }
            return address;
        }

        /** One datagram: the bytes between position and limit. */
        void send(ByteBuffer b, PeerAddress to) throws IOException {
            long n = sendto(fd, addressOf(b) + b.position(), b.remaining(), 0, Pointer.nativeValue(to.sockaddr),
                    SOCKADDR_IN6);
            if (n < 0) {
                throw new IOException("sendto " + to.address + ": " + strerror(Native.getLastError()));
            }
        }

        /**
         * The datagrams laid end to end between position and limit, each {@code segmentSize} bytes
         * but the last (which may be shorter): one system call when UDP GSO works, else one each.
         */
        void sendSegments(ByteBuffer b, int segmentSize, PeerAddress to) throws IOException {
            int pos = b.position();
            int len = b.remaining();
            if (len <= segmentSize) {
                send(b, to);
                return;
            }
            if (gsoWorks) {
                iov.setLong(0, addressOf(b) + pos);
                iov.setLong(8, len);
                msg.setLong(0, Pointer.nativeValue(to.sockaddr));
                msg.setInt(8, SOCKADDR_IN6);
                msg.setLong(32, Pointer.nativeValue(control));
                msg.setLong(40, 24);
                control.setShort(16, (short) segmentSize);
                if (sendmsg(fd, Pointer.nativeValue(msg), 0) >= 0) {
                    return;
                }
                int errno = Native.getLastError();
                if (errno != 5 && errno != 22 && errno != 95) { // EIO, EINVAL, EOPNOTSUPP: no GSO on this path
                    throw new IOException("sendmsg " + to.address + ": " + strerror(errno));
                }
                gsoWorks = false;
            }
            for (int off = 0; off < len; off += segmentSize) {
                int n = Math.min(segmentSize, len - off);
                long r = sendto(fd, addressOf(b) + pos + off, n, 0, Pointer.nativeValue(to.sockaddr), SOCKADDR_IN6);
                if (r < 0) {
                    throw new IOException("sendto " + to.address + ": " + strerror(Native.getLastError()));
                }
            }
        }
    }
}
