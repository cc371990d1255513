package org.mobilevpn.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.mobilevpn.api.net.IpPrefix;

/**
 * Turns an address range of a traffic selector (RFC 7296 §3.13.1 carries ranges, not prefixes) into the
 * fewest CIDR prefixes that cover it exactly, because routes are prefixes.
 */
final class AddressRanges {
    private AddressRanges() {
    }

    /** The smallest list of prefixes whose union is exactly {@code start..end} (inclusive, one family). */
    static List<IpPrefix> prefixes(InetAddress start, InetAddress end) {
        int bytes = start.getAddress().length;
        if (bytes != end.getAddress().length) {
            throw new IllegalArgumentException("range mixes address families: " + start + ".." + end);
        }
        int bits = bytes * 8;
        BigInteger s = new BigInteger(1, start.getAddress());
        BigInteger e = new BigInteger(1, end.getAddress());
        List<IpPrefix> out = new ArrayList<>();
        while (s.compareTo(e) <= 0) {
            // the largest block that starts at s (alignment) and does not run past e
            int size = s.signum() == 0 ? bits : Math.min(bits, s.getLowestSetBit());
            while (size > 0 && s.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(e) > 0) {
                size--;
            }
            out.add(IpPrefix.of(address(s, bytes), bits - size));
            s = s.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    private static InetAddress address(BigInteger value, int bytes) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException ex) {
            throw new IllegalStateException(ex); // 4 or 16 octets
        }
    }
}
