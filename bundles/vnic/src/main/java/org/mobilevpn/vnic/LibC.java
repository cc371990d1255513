package org.mobilevpn.vnic;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The few libc calls a TUN device needs, bound by JNA direct mapping ({@link Native#register}):
 * measured about twice as fast per call as interface mapping. Buffers are passed as raw
 * addresses ({@code long}) so the hot path builds no {@code Pointer} objects.
 */
final class LibC {
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;
    static final short POLLIN = 1;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd);

    /** ssize_t read(int, void*, size_t); errno via {@link Native#getLastError()} on -1. */
    static native long read(int fd, long buffer, long count);

    static native long write(int fd, long buffer, long count);

    /** ssize_t writev(int, const struct iovec*, int): header and packet in one syscall. */
    static native long writev(int fd, long iov, int count);

    /** ioctl with a pointer (as an address) or a plain integer argument, per request. */
    static native int ioctl(int fd, long request, long argument) throws LastErrorException;

    static native int poll(long pollfds, long count, int timeoutMillis);

    static native int eventfd(int initialValue, int flags) throws LastErrorException;

    static final int F_DUPFD_CLOEXEC = 1030;

    /** fcntl with an integer argument, e.g. F_DUPFD_CLOEXEC: a second descriptor for the same open file. */
    static native int fcntl(int fd, int command, int argument) throws LastErrorException;

    static native String strerror(int errno);
}
