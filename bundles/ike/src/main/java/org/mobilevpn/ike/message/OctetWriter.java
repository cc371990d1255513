package org.mobilevpn.ike.message;

import java.util.Arrays;

/** Growable big-endian writer; lengths are patched in place once known. */
public final class OctetWriter {
    private byte[] buffer;
    private int size;

    public OctetWriter() {
        this(256);
    }

    public OctetWriter(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    public int size() {
        return size;
    }

    public OctetWriter u8(int v) {
        ensure(1);
        buffer[size++] = (byte) v;
        return this;
    }

    public OctetWriter u16(int v) {
        ensure(2);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public OctetWriter u32(int v) {
        ensure(4);
        buffer[size++] = (byte) (v >>> 24);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public OctetWriter u64(long v) {
        return u32((int) (v >>> 32)).u32((int) v);
    }

    public OctetWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public OctetWriter bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buffer, size, len);
        size += len;
        return this;
    }

    public OctetWriter zeros(int n) {
        ensure(n);
        Arrays.fill(buffer, size, size + n, (byte) 0);
        size += n;
        return this;
    }

    /** Overwrites two octets at {@code position} (for a length known only after the body). */
    public void patchU16(int position, int v) {
        buffer[position] = (byte) (v >>> 8);
        buffer[position + 1] = (byte) v;
    }

    public void patchU32(int position, int v) {
        buffer[position] = (byte) (v >>> 24);
        buffer[position + 1] = (byte) (v >>> 16);
        buffer[position + 2] = (byte) (v >>> 8);
        buffer[position + 3] = (byte) v;
    }

    public void patchU8(int position, int v) {
        buffer[position] = (byte) v;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
