package org.mobilevpn.vnic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mobilevpn.api.vnic.VnicException;

/**
 * A Linux TUN device file descriptor ({@code Documentation/networking/tuntap.rst}): opened
 * non-blocking with IFF_TUN | IFF_NO_PI, and with IFF_VNET_HDR plus checksum and TCP segmentation
 * offload when asked (every packet then carries a virtio_net_hdr, and a read may return a TCP
 * super-packet of up to 64 KB: {@link VirtioPacket}). One packet per read, with an eventfd that wakes
 * a reader blocked in poll(2) so a reader thread stops without closing the fd under it (and the
 * device stays usable for the next reader, e.g. a restarted data path).
 *
 * <p>Not thread-safe per direction: one reader thread and one writer thread.
 */
final class TunDevice implements AutoCloseable {
    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final long TUNSETVNETHDRSZ = 0x400454d8L;
    static final long TUNSETPERSIST = 0x400454cbL;
    static final long TUNGETIFF = 0x800454d2L;
    static final int IFF_TUN = 0x1;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_VNET_HDR = 0x4000;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;

    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    /** struct virtio_net_hdr without num_buffers. */
    static final int VNET_HDR_LEN = 10;

    private final int fd;
    private final boolean vnetHeader;
    private final Memory iov = new Memory(32);
    private final Memory zeroHeader = new Memory(VNET_HDR_LEN);
    private final int wakeFd;
    private final String name;
    private final Memory pollFds = new Memory(16);
    private final Memory wakeValue = new Memory(8);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean wakePending;
    private volatile boolean shut;
    private final Memory drain = new Memory(8);
    private ByteBuffer readBuffer;
    private long readAddress;
    private ByteBuffer writeBuffer;
    private long writeAddress;

    private TunDevice(int fd, int wakeFd, String name, boolean vnetHeader) {
        this.fd = fd;
        this.vnetHeader = vnetHeader;
        zeroHeader.clear();
        iov.setLong(0, Pointer.nativeValue(zeroHeader));
        iov.setLong(8, VNET_HDR_LEN);
        this.wakeFd = wakeFd;
        this.name = name;
        pollFds.clear();
        pollFds.setInt(0, fd);
        pollFds.setShort(4, LibC.POLLIN);
        pollFds.setInt(8, wakeFd);
        pollFds.setShort(12, LibC.POLLIN);
        wakeValue.setLong(0, 1);
    }

    /**
     * Opens {@code node} (normally /dev/net/tun) and attaches a TUN interface named
     * {@code requestedName}, which may contain {@code %d} for the kernel to number it.
     */
    static TunDevice open(Path node, String requestedName, int extraFlags) throws VnicException {
        byte[] nameBytes = requestedName.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= IFNAMSIZ) {
            throw new VnicException("device name longer than 15 bytes: " + requestedName);
        }
        int fd;
        try {
            fd = LibC.open(node.toString(), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw openError(node, e.getErrorCode());
        }
        try (Memory ifreq = new Memory(IFREQ_SIZE)) {
            ifreq.clear();
            ifreq.write(0, nameBytes, 0, nameBytes.length);
            ifreq.setShort(16, (short) (IFF_TUN | IFF_NO_PI | extraFlags));
            try {
                LibC.ioctl(fd, TUNSETIFF, Pointer.nativeValue(ifreq));
            } catch (LastErrorException e) {
                LibC.close(fd);
                throw setIffError(requestedName, e.getErrorCode());
            }
            String actual = ifreq.getString(0, StandardCharsets.US_ASCII.name());
            int wake = wakeFor(fd);
            boolean vnet = (extraFlags & IFF_VNET_HDR) != 0;
            if (vnet) {
                try {
                    // Checksum and TCP segmentation offload: the kernel may hand us 64 KB TCP segments.
                    LibC.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
                } catch (LastErrorException e) {
                    LibC.close(fd);
                    LibC.close(wake);
                    throw new VnicException("TUNSETOFFLOAD failed: " + LibC.strerror(e.getErrorCode()));
                }
            }
            return new TunDevice(fd, wake, actual, vnet);
        }
    }

    /**
     * A second descriptor ({@code F_DUPFD_CLOEXEC}) for the TUN device that {@code descriptor} of this process is
     * attached to: how the next vnic bundle takes over a device the leaving one kept open ({@link KeptDevices}),
     * with no moment at which the device has no reader. The descriptor must still be attached to {@code name} with
     * the flags asked for (TUNGETIFF), so a number that was closed and reused in between is refused.
     */
    static TunDevice attach(int descriptor, String name, int extraFlags) throws VnicException {
        int fd;
        try {
            fd = LibC.fcntl(descriptor, LibC.F_DUPFD_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new VnicException("descriptor " + descriptor + " of " + name + " is gone: "
                    + LibC.strerror(e.getErrorCode()));
        }
        try (Memory ifreq = new Memory(IFREQ_SIZE)) {
            ifreq.clear();
            try {
                LibC.ioctl(fd, TUNGETIFF, Pointer.nativeValue(ifreq));
            } catch (LastErrorException e) {
                LibC.close(fd);
                throw new VnicException("descriptor " + descriptor + " is no TUN device (" + name + " expected): "
                        + LibC.strerror(e.getErrorCode()));
            }
            String actual = ifreq.getString(0, StandardCharsets.US_ASCII.name());
            int flags = ifreq.getShort(16) & (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR);
            int wanted = IFF_TUN | IFF_NO_PI | (extraFlags & IFF_VNET_HDR);
            if (!actual.equals(name) || flags != wanted) {
                LibC.close(fd);
                throw new VnicException("descriptor " + descriptor + " is attached to " + actual + " with flags 0x"
                        + Integer.toHexString(flags) + ", not to " + name + " with 0x" + Integer.toHexString(wanted));
            }
            int wake = wakeFor(fd);
            return new TunDevice(fd, wake, actual, (extraFlags & IFF_VNET_HDR) != 0);
        }
    }

    /** The eventfd that wakes {@code fd}'s reader; without one, {@code fd} is closed and the error thrown. */
    private static int wakeFor(int fd) throws VnicException {
        try {
            return LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new VnicException("eventfd failed: " + LibC.strerror(e.getErrorCode()));
        }
    }

    static VnicException openError(Path node, int errno) {
        switch (errno) {
            case LibC.ENOENT:
                return new VnicException(node + " does not exist: create it (mkdir -p /dev/net && mknod "
                        + node + " c 10 200) or, in a container, pass the device in (--device /dev/net/tun)");
            case LibC.ENXIO:
            case LibC.ENODEV:
                return new VnicException(node + " has no driver: load the tun kernel module (modprobe tun)");
            case 13: // EACCES
            case LibC.EPERM:
                return new VnicException("no permission to open " + node
                        + ": run as root or grant the process CAP_NET_ADMIN and access to the device");
            default:
                return new VnicException("cannot open " + node + ": " + LibC.strerror(errno));
        }
    }

    static VnicException setIffError(String name, int errno) {
        switch (errno) {
            case LibC.EPERM:
                return new VnicException("creating TUN device " + name
                        + " was refused (EPERM): the process lacks CAP_NET_ADMIN in this network namespace");
            case LibC.EBUSY:
                return new VnicException("device name " + name + " is in use by another device or process");
            case LibC.EINVAL:
                return new VnicException("TUNSETIFF rejected " + name + ": a non-TUN device may have that name");
            default:
                return new VnicException("TUNSETIFF " + name + " failed: " + LibC.strerror(errno));
        }
    }

    String name() {
        return name;
    }

    /**
     * Reads one packet into {@code dst} at its position.
     *
     * @return the length, or -1 after {@link #wakeup()} or close
     */
    int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (wakePending) {
                wakePending = false;
                return -1;
            }
            int n = readNow(dst);
            if (n != 0) {
                return n;
            }
            awaitReadable();
        }
    }

    /**
     * Reads one packet into {@code dst} at its position if one is ready, never waiting.
     *
     * @return the length, 0 when none is ready, or -1 once closed
     */
    int readNow(ByteBuffer dst) throws IOException {
        if (dst != readBuffer) {
            readAddress = address(dst);
            readBuffer = dst;
        }
        int pos = dst.position();
        while (!shut) {
            long n = LibC.read(fd, readAddress + pos, dst.limit() - pos);
            if (n >= 0) {
                dst.position(pos + (int) n);
                return (int) n;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EAGAIN) {
                return 0;
            }
            if (errno != LibC.EINTR) {
                if (shut) {
                    break;
                }
                throw new IOException("read from " + name + ": " + LibC.strerror(errno));
            }
        }
        return -1;
    }

    /** The device's descriptor, for poll(2) only. */
    int descriptor() {
        return fd;
    }

    private void awaitReadable() throws IOException {
        int r = LibC.poll(Pointer.nativeValue(pollFds), 2, -1);
        if (r < 0 && Native.getLastError() != LibC.EINTR) {
            throw new IOException("poll on " + name + ": " + LibC.strerror(Native.getLastError()));
        }
        if (r > 0 && pollFds.getShort(14) != 0) {
            // Reset the eventfd so the next poll blocks again; the flag says whether a wakeup is due.
            LibC.read(wakeFd, Pointer.nativeValue(drain), 8);
        }
    }

    /**
     * Writes the packet between position and limit; the kernel takes all of it or nothing. With a
     * virtio_net_hdr, an all-zero header goes in front (no offload asked for this packet).
     */
    void write(ByteBuffer src) throws IOException {
        write(src, vnetHeader);
    }

    /** Writes bytes that already begin with their virtio_net_hdr. */
    void writeWithHeader(ByteBuffer src) throws IOException {
        write(src, false);
    }

    private void write(ByteBuffer src, boolean addHeader) throws IOException {
        if (src != writeBuffer) {
            writeAddress = address(src);
            writeBuffer = src;
        }
        int pos = src.position();
        int len = src.limit() - pos;
        while (true) {
            long n;
            if (addHeader) {
                iov.setLong(16, writeAddress + pos);
                iov.setLong(24, len);
                n = LibC.writev(fd, Pointer.nativeValue(iov), 2);
            } else {
                n = LibC.write(fd, writeAddress + pos, len);
            }
            if (n >= 0) {
                src.position(pos + len);
                return;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EAGAIN) {
                // The TUN queue toward the stack is full: like a full NIC ring, the packet is dropped.
                src.position(pos + len);
                return;
            }
            if (errno != LibC.EINTR) {
                throw new IOException("write to " + name + ": " + LibC.strerror(errno));
            }
        }
    }

    /** Makes the current blocked read, or else the next read, return -1 once. */
    void wakeup() {
        wakePending = true;
        LibC.write(wakeFd, Pointer.nativeValue(wakeValue), 8);
    }

    private static long address(ByteBuffer b) {
        if (!b.isDirect()) {
            throw new IllegalArgumentException("TUN I/O needs a direct ByteBuffer");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(b));
    }

    /**
     * Makes the device outlive its descriptors (TUNSETPERSIST) with its addresses and routes, while this one stays
     * open and in use: the next vnic bundle {@linkplain #attach attaches} a descriptor of its own to it, or, if this
     * one is closed before that, opens it again by name ({@link #open}); then {@link #dropPersistence()}. Without a
     * descriptor the kernel drops what is routed into the device (no carrier): nothing leaks around the tunnel.
     */
    void persist() throws VnicException {
        setPersist(1);
    }

    /** A kept device attached again: it goes with its last descriptor as a new one would. */
    void dropPersistence() throws VnicException {
        setPersist(0);
    }

    private void setPersist(int on) throws VnicException {
        try {
            LibC.ioctl(fd, TUNSETPERSIST, on);
        } catch (LastErrorException e) {
            throw new VnicException("TUNSETPERSIST " + name + " failed: " + LibC.strerror(e.getErrorCode()));
        }
    }

    /** Closes the descriptors; the kernel then removes the device with its addresses and routes. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shut = true;
            wakeup();
            LibC.close(fd);
            LibC.close(wakeFd);
        }
    }
}
