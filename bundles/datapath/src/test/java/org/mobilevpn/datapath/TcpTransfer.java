package org.mobilevpn.datapath;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * Both ends of a checksummed TCP transfer through the tunnel: {@code sink PORT} accepts one
 * connection, reads to the end and prints {@code SINK <bytes> <sha256>}; {@code source HOST PORT
 * BYTES SEED} sends seeded pseudo-random bytes and prints {@code SOURCE <bytes> <sha256>}.
 */
public final class TcpTransfer {
    public static void main(String[] args) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        if (args[0].equals("sink")) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(Integer.parseInt(args[1])));
                System.out.println("LISTENING");
                System.out.flush();
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                        total += n;
                    }
                }
            }
            System.out.println("SINK " + total + " " + HexFormat.of().formatHex(sha.digest()));
        } else {
            long bytes = Long.parseLong(args[3]);
            Random random = new Random(Long.parseLong(args[4]));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 10_000);
                OutputStream out = s.getOutputStream();
                while (total < bytes) {
                    int n = (int) Math.min(buf.length, bytes - total);
                    random.nextBytes(buf);
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                    total += n;
                }
                s.shutdownOutput();
            }
            System.out.println("SOURCE " + total + " " + HexFormat.of().formatHex(sha.digest()));
        }
    }
}
