package org.mobilevpn.filter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** IP addresses as unsigned 128-bit (hi, lo) pairs: IPv6 as is, IPv4 in the low 32 bits. */
final class Address128 {

    private Address128() {
    }

    static long hi(InetAddress address) {
        return address instanceof Inet4Address ? 0 : ByteBuffer.wrap(address.getAddress()).getLong(0);
    }

    static long lo(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? ByteBuffer.wrap(bytes).getInt(0) & 0xFFFF_FFFFL : ByteBuffer.wrap(bytes).getLong(8);
    }

    /** Unsigned comparison of (aHi, aLo) with (bHi, bLo). */
    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int high = Long.compareUnsigned(aHi, bHi);
        return high != 0 ? high : Long.compareUnsigned(aLo, bLo);
    }
}
