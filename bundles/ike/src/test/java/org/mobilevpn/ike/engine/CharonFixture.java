package org.mobilevpn.ike.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Datagrams captured (tcpdump) between our engine and strongSwan 5.9.8 charon, with the key material charon
 * logged for that IKE SA (ike = 4): IKE_SA_INIT, IKE_AUTH and INFORMATIONAL, request and response each.
 */
record CharonFixture(String name, String proposal, List<byte[]> datagrams, Properties charonKeys) {
    static final String[] FILES = {"1-init-request", "2-init-response", "3-auth-request", "4-auth-response",
        "5-informational-request", "6-informational-response"};

    static CharonFixture load(String name, String proposal) {
        List<byte[]> datagrams = new ArrayList<>();
        for (String f : FILES) {
            datagrams.add(HexFormat.of().parseHex(read(name + "/" + f + ".hex").strip()));
        }
        Properties keys = new Properties();
        try (InputStream in = resource(name + "/charon-keys.properties")) {
            keys.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CharonFixture(name, proposal, datagrams, keys);
    }

    static List<CharonFixture> all() {
        return List.of(load("charon-x25519-gcm", "aes256gcm16-prfsha384-x25519"),
                load("charon-modp2048-cbc", "aes256-sha256-modp2048"));
    }

    byte[] key(String name) {
        return HexFormat.of().parseHex(charonKeys.getProperty(name));
    }

    private static String read(String path) {
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = CharonFixture.class.getResourceAsStream("/fixtures/" + path);
        if (in == null) {
            throw new IllegalStateException("missing fixture " + path);
        }
        return in;
    }

    @Override
    public String toString() {
        return name;
    }
}
