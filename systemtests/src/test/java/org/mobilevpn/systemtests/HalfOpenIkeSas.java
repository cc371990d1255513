package org.mobilevpn.systemtests;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Leaves half-open IKE SAs at a gateway, as a flood from one address would (the case COOKIEs exist for,
 * RFC 7296 §2.6): sends IKE_SA_INIT requests from one socket, one after the other, and never goes on to
 * IKE_AUTH. Prints {@code HALF-OPEN n} when the gateway answered n of them with an SPI of its own, i.e.
 * made an IKE SA for each (not a COOKIE, not an error). Runs as a process in the client's namespace, from
 * another port than the runtime's, via {@link #command}.
 */
public final class HalfOpenIkeSas {
    private static final int IKE_PORT = 500;
    private static final int IKE_SA_INIT = 34;
    private static final int SA = 33;
    private static final int KE = 34;
    private static final int NONCE = 40;
    private static final int LENGTH = 144;

    private HalfOpenIkeSas() {
    }

    /** The command line that sends {@code count} requests to {@code gateway} (run it in a namespace). */
    static List<String> command(String gateway, int count) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), HalfOpenIkeSas.class.getName(), gateway, Integer.toString(count));
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress gateway = new InetSocketAddress(args[0], IKE_PORT);
        int count = Integer.parseInt(args[1]);
        SecureRandom random = new SecureRandom();
        int halfOpen = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            for (int i = 0; i < count; i++) {
                byte[] request = ikeSaInit(random);
                socket.send(new DatagramPacket(request, request.length, gateway));
                DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
                socket.receive(reply);
                byte[] r = Arrays.copyOf(reply.getData(), reply.getLength());
                boolean ours = r.length >= 28 && Arrays.equals(r, 0, 8, request, 0, 8);
                boolean saMade = ours && ByteBuffer.wrap(r).getLong(8) != 0 && (r[16] & 0xff) == SA
                        && (r[18] & 0xff) == IKE_SA_INIT;
                if (saMade) {
                    halfOpen++;
                } else {
                    System.out.println("UNEXPECTED " + HexFormat.of().formatHex(r));
                }
            }
        }
        System.out.println("HALF-OPEN " + halfOpen);
    }

    /**
     * An IKE_SA_INIT request (RFC 7296 §1.2, §3): header, SA with one IKE proposal (AES-GCM-16 with a 256-bit key,
     * PRF_HMAC_SHA2_384, Curve25519: the harness gateway's default), KE and Nonce. Any 32 octets are a
     * Curve25519 public value, so random ones do.
     */
    static byte[] ikeSaInit(SecureRandom random) {
        ByteBuffer m = ByteBuffer.allocate(LENGTH);
        byte[] spi = new byte[8];
        random.nextBytes(spi);
        m.put(spi).putLong(0).put((byte) SA).put((byte) 0x20).put((byte) IKE_SA_INIT).put((byte) 0x08).putInt(0)
                .putInt(LENGTH);
        m.put((byte) KE).put((byte) 0).putShort((short) 40); // SA payload
        m.put((byte) 0).put((byte) 0).putShort((short) 36).put((byte) 1).put((byte) 1).put((byte) 0).put((byte) 3);
        m.put((byte) 3).put((byte) 0).putShort((short) 12).put((byte) 1).put((byte) 0).putShort((short) 20)
                .putShort((short) 0x800e).putShort((short) 256); // ENCR_AES_GCM_16, key length attribute
        m.put((byte) 3).put((byte) 0).putShort((short) 8).put((byte) 2).put((byte) 0).putShort((short) 6); // PRF_HMAC_SHA2_384
        m.put((byte) 0).put((byte) 0).putShort((short) 8).put((byte) 4).put((byte) 0).putShort((short) 31); // KE method
        byte[] value = new byte[32];
        random.nextBytes(value);
        m.put((byte) NONCE).put((byte) 0).putShort((short) 40).putShort((short) 31).putShort((short) 0).put(value);
        random.nextBytes(value);
        m.put((byte) 0).put((byte) 0).putShort((short) 36).put(value);
        return m.array();
    }
}
