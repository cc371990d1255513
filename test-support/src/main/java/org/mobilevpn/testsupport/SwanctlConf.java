package org.mobilevpn.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete swanctl.conf for one charon (connections, pools, secrets) plus the credential files to
 * put beside it ({@code x509/}, {@code x509ca/}, {@code private/}). Built with {@link Builder}.
 *
 * <pre>{@code
 * SwanctlConf conf = SwanctlConf.gatewayPsk("s3cret")
 *         .configure("rw", c -> c.ikeProposals("aes128gcm16-prfsha256-ecp256").dpdDelay("5s"))
 *         .build();
 * }</pre>
 */
public final class SwanctlConf {

    private final String text;
    private final Map<String, List<Path>> files;

    private SwanctlConf(String text, Map<String, List<Path>> files) {
        this.text = text;
        this.files = files;
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The standard PSK gateway: connection {@code rw} ({@link SwanctlConnection#gateway(String)}) and its
     * secret for {@link StrongSwanGateway#GATEWAY_ID} / {@link StrongSwanGateway#CLIENT_ID}.
     *
     * @param secret the pre-shared key
     * @return a builder to adjust further
     */
    public static Builder gatewayPsk(String secret) {
        return builder().connection(SwanctlConnection.gateway("rw"))
                .psk(StrongSwanGateway.GATEWAY_ID, StrongSwanGateway.CLIENT_ID, secret);
    }

    /**
     * The standard certificate gateway: connection {@code rw} authenticating with {@code gateway}'s
     * certificate and trusting {@code pki}'s CA for the client.
     *
     * @param pki the test CA
     * @param gateway the gateway's credential (identity {@link StrongSwanGateway#GATEWAY_ID} expected)
     * @return a builder to adjust further
     */
    public static Builder gatewayCert(TestPki pki, TestPki.Credential gateway) {
        return builder().connection(SwanctlConnection.gateway("rw").localId(gateway.identity())
                .pubkey(gateway.certificate().getFileName().toString()))
                .ca(pki.caCertificate()).credential(gateway);
    }

    /** @return the swanctl.conf text */
    public String text() {
        return text;
    }

    /** @return sub-directory of the swanctl dir (x509, x509ca, private) to files to copy there */
    public Map<String, List<Path>> files() {
        return files;
    }

    @Override
    public String toString() {
        return text;
    }

    static void put(StringBuilder sb, String indent, String key, String value) {
        if (value != null) {
            sb.append(indent).append(key).append(" = ").append(value).append('\n');
        }
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Collects connections, secrets and credential files. */
    public static final class Builder {
        private final Map<String, SwanctlConnection> connections = new LinkedHashMap<>();
        private final List<String[]> secrets = new ArrayList<>();
        private final Map<String, List<Path>> files = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds (or replaces, by name) a connection.
         *
         * @param connection the connection
         * @return this
         */
        public Builder connection(SwanctlConnection connection) {
            connections.put(connection.name(), connection);
            return this;
        }

        /**
         * Adjusts a connection added before.
         *
         * @param name its name
         * @param change what to change
         * @return this
         */
        public Builder configure(String name, java.util.function.Consumer<SwanctlConnection> change) {
            SwanctlConnection c = connections.get(name);
            if (c == null) {
                throw new IllegalArgumentException("no connection " + name + " in " + connections.keySet());
            }
            change.accept(c);
            return this;
        }

        /**
         * Adds an IKE pre-shared key between two identities.
         *
         * @param id1 one identity
         * @param id2 the other identity
         * @param secret the key
         * @return this
         */
        public Builder psk(String id1, String id2, String secret) {
            secrets.add(new String[] {"ike", id1, id2, secret});
            return this;
        }

        /**
         * Adds an EAP secret (e.g. for eap-mschapv2 users).
         *
         * @param id user identity
         * @param secret password
         * @return this
         */
        public Builder eap(String id, String secret) {
            secrets.add(new String[] {"eap", id, null, secret});
            return this;
        }

        /**
         * Trusts a CA certificate (copied to {@code x509ca/}).
         *
         * @param caPem CA certificate, PEM
         * @return this
         */
        public Builder ca(Path caPem) {
            return file("x509ca", caPem);
        }

        /**
         * Installs an own certificate and its private key ({@code x509/}, {@code private/}).
         *
         * @param credential from {@link TestPki}
         * @return this
         */
        public Builder credential(TestPki.Credential credential) {
            file("x509", credential.certificate());
            return file("private", credential.privateKey());
        }

        /**
         * Copies any file into a swanctl sub-directory.
         *
         * @param subdir e.g. {@code x509}, {@code x509ca}, {@code private}, {@code x509crl}
         * @param file the file
         * @return this
         */
        public Builder file(String subdir, Path file) {
            files.computeIfAbsent(subdir, k -> new ArrayList<>()).add(file);
            return this;
        }

        /** @return the rendered configuration */
        public SwanctlConf build() {
            StringBuilder sb = new StringBuilder("# written by the mobilevpn test harness\nconnections {\n");
            connections.values().forEach(c -> c.render(sb));
            sb.append("}\npools {\n");
            for (SwanctlConnection c : connections.values()) {
                if (c.poolAddrs != null) {
                    sb.append("  ").append(c.poolName()).append(" {\n");
                    put(sb, "    ", "addrs", c.poolAddrs);
                    put(sb, "    ", "dns", c.poolDns.isEmpty() ? null : String.join(", ", c.poolDns));
                    sb.append("  }\n");
                }
            }
            sb.append("}\nsecrets {\n");
            int n = 0;
            for (String[] s : secrets) {
                n++;
                sb.append("  ").append(s[0]).append("-").append(n).append(" {\n");
                put(sb, "    ", "id-1", s[1]);
                put(sb, "    ", "id-2", s[2]);
                put(sb, "    ", "secret", quote(s[3]));
                sb.append("  }\n");
            }
            sb.append("}\n");
            Map<String, List<Path>> copy = new LinkedHashMap<>();
            files.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new SwanctlConf(sb.toString(), Map.copyOf(copy));
        }
    }
}
