package org.mobilevpn.ike.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal client of strongSwan's vici protocol (src/libcharon/plugins/vici/README.md): length-prefixed
 * packets, CMD_REQUEST with key-value elements, CMD_RESPONSE parsed for its top-level key-values. It keeps
 * one open connection, so timing a command measures charon, not a swanctl process start.
 */
final class ViciClient implements AutoCloseable {
    private static final int CMD_REQUEST = 0;
    private static final int CMD_RESPONSE = 1;
    private static final int SECTION_START = 1;
    private static final int SECTION_END = 2;
    private static final int KEY_VALUE = 3;
    private static final int LIST_START = 4;
    private static final int LIST_ITEM = 5;
    private static final int LIST_END = 6;

    private final SocketChannel channel;

    private ViciClient(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects to the vici socket named in a charon instance's strongswan.conf. */
    static ViciClient connect(Path charonDir) throws IOException {
        Matcher m = Pattern.compile("socket = unix://(\\S+)").matcher(Files.readString(charonDir.resolve("strongswan.conf")));
        if (!m.find()) {
            throw new IOException("no vici socket in " + charonDir);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(m.group(1)));
        return new ViciClient(ch);
    }

    Map<String, String> request(String command, Map<String, String> arguments) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(CMD_REQUEST);
        body.write(command.length());
        body.writeBytes(command.getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, String> e : arguments.entrySet()) {
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            body.write(KEY_VALUE);
            body.write(e.getKey().length());
            body.writeBytes(e.getKey().getBytes(StandardCharsets.US_ASCII));
            body.write(v.length >> 8);
            body.write(v.length);
            body.writeBytes(v);
        }
        byte[] packet = body.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(4 + packet.length).putInt(packet.length).put(packet).flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        while (true) {
            ByteBuffer in = read();
            int type = in.get() & 0xff;
            if (type == CMD_RESPONSE) {
                return keyValues(in);
            }
            if (type != 7 && type != 5) { // events and confirmations are not ours to handle here
                throw new IOException("vici answered " + command + " with packet type " + type);
            }
        }
    }

    private ByteBuffer read() throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        fill(len);
        ByteBuffer packet = ByteBuffer.allocate(len.flip().getInt());
        fill(packet);
        return packet.flip();
    }

    private void fill(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("vici closed the connection");
            }
        }
    }

    private static Map<String, String> keyValues(ByteBuffer in) {
        Map<String, String> out = new LinkedHashMap<>();
        int depth = 0;
        while (in.hasRemaining()) {
            int element = in.get() & 0xff;
            switch (element) {
                case SECTION_START:
                case LIST_START:
                    skipName(in);
                    depth++;
                    break;
                case SECTION_END:
                case LIST_END:
                    depth--;
                    break;
                case KEY_VALUE: {
                    String key = name(in);
                    byte[] v = new byte[in.getShort() & 0xffff];
                    in.get(v);
                    if (depth == 0) {
                        out.put(key, new String(v, StandardCharsets.UTF_8));
                    }
                    break;
                }
                case LIST_ITEM:
                    in.position(in.position() + (in.getShort() & 0xffff));
                    break;
                default:
                    throw new IllegalStateException("vici element " + element);
            }
        }
        return out;
    }

    private static String name(ByteBuffer in) {
        byte[] n = new byte[in.get() & 0xff];
        in.get(n);
        return new String(n, StandardCharsets.US_ASCII);
    }

    private static void skipName(ByteBuffer in) {
        in.position(in.position() + (in.get() & 0xff));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
