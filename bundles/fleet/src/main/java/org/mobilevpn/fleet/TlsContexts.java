package org.mobilevpn.fleet;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS client side of the broker connection: our certificate chain and key (mutual TLS) and only the
 * configured CA as trust anchor, not the JDK's public CAs: the fleet's broker is ours, and a certificate
 * some public CA issued for its name must not be enough to take the fleet over. The broker's name or
 * address is checked against its certificate (Paho's hostname verification, left on).
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * @param chain our certificate first, then intermediates; empty for server-only TLS
     * @param key   its private key, or null with an empty chain
     * @param cas   the trust anchors for the broker's certificate
     */
    public static SSLSocketFactory client(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> cas)
            throws GeneralSecurityException {
        char[] transientPassword = "fleet-in-memory".toCharArray(); // protects nothing: the store never leaves memory
        KeyStore keys = emptyStore();
        if (key != null && !chain.isEmpty()) {
            keys.setKeyEntry("client", key, transientPassword, chain.toArray(new X509Certificate[0]));
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, transientPassword);
        KeyStore trust = emptyStore();
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }
}
