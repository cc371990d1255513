package org.mobilevpn.ike.message;

import java.util.Arrays;

/** Bounds-checked big-endian reader over a slice of an array; every overrun is an {@link InvalidSyntaxException}. */
public final class OctetReader {
    private final byte[] data;
    private final int end;
    private int position;

    public OctetReader(byte[] data) {
        this(data, 0, data.length);
    }

    public OctetReader(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + data.length);
        }
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    public int remaining() {
        return end - position;
    }

    public int position() {
        return position;
    }

    public boolean hasRemaining() {
        return position < end;
    }

    private void need(int n, String what) throws InvalidSyntaxException {
        if (n < 0 || n > end - position) {
            throw new InvalidSyntaxException(what + ": needs " + n + " octets, " + (end - position) + " left");
        }
    }

    public int u8(String what) throws InvalidSyntaxException {
        need(1, what);
        return data[position++] & 0xff;
    }

    public int u16(String what) throws InvalidSyntaxException {
        need(2, what);
        int v = (data[position] & 0xff) << 8 | data[position + 1] & 0xff;
        position += 2;
        return v;
    }

    public int u32(String what) throws InvalidSyntaxException {
        need(4, what);
        int v = (data[position] & 0xff) << 24 | (data[position + 1] & 0xff) << 16 | (data[position + 2] & 0xff) << 8
                | data[position + 3] & 0xff;
        position += 4;
        return v;
    }

    public long u64(String what) throws InvalidSyntaxException {
        long hi = u32(what) & 0xffffffffL;
        return hi << 32 | u32(what) & 0xffffffffL;
    }

    public byte[] bytes(int n, String what) throws InvalidSyntaxException {
        need(n, what);
        byte[] out = Arrays.copyOfRange(data, position, position + n);
        position += n;
        return out;
    }

    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, position, end);
        position = end;
        return out;
    }

    public void skip(int n, String what) throws InvalidSyntaxException {
        need(n, what);
        position += n;
    }

    /** A reader over the next {@code n} octets; this reader moves past them. */
    public OctetReader slice(int n, String what) throws InvalidSyntaxException {
        need(n, what);
        OctetReader sub = new OctetReader(data, position, n);
        position += n;
        return sub;
    }
}
