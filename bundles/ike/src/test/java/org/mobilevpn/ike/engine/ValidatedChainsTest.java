package org.mobilevpn.ike.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.ike.message.CertPayload;
import org.mobilevpn.testsupport.TestPki;

/** Remembered validations: used for exactly the same certificates and CAs, and only inside their validity. */
class ValidatedChainsTest {
    @TempDir
    static Path dir;
    private static X509Certificate gateway;
    private static X509Certificate ca;
    private static X509Certificate otherCa;
    private static List<CertPayload> sent;

    private final AtomicInteger fullValidations = new AtomicInteger();
    private final AtomicReference<Date> now = new AtomicReference<>(new Date());
    private final ValidatedChains chains = new ValidatedChains(now::get);

    @BeforeAll
    static void pki() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("a"), TestPki.KeyType.ECDSA_P256);
        gateway = certificate(pki.gateway().certificate());
        ca = certificate(pki.caCertificate());
        otherCa = certificate(TestPki.create(dir.resolve("b"), TestPki.KeyType.ECDSA_P256).caCertificate());
        sent = List.of(new CertPayload(CertPayload.X509_SIGNATURE, gateway.getEncoded()));
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private X509Certificate accept() {
        fullValidations.incrementAndGet();
        return gateway;
    }

    private X509Certificate reject() throws IkeFailureException {
        fullValidations.incrementAndGet();
        throw new IkeFailureException(FailureReason.PEER_AUTH_FAILED, "not valid");
    }

    @Test
    void certificatesThatValidatedAreNotValidatedAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertSame(gateway, chains.validate(List.of(ca), sent, this::accept));
        }
        assertEquals(1, fullValidations.get());
    }

    @Test
    void otherCasAreAnotherQuestionAndARejectionIsNotRemembered() throws Exception {
        chains.validate(List.of(ca), sent, this::accept);
        assertThrows(IkeFailureException.class, () -> chains.validate(List.of(otherCa), sent, this::reject));
        assertThrows(IkeFailureException.class, () -> chains.validate(List.of(otherCa), sent, this::reject));
        assertEquals(3, fullValidations.get());
    }

    @Test
    void outsideTheCertificatesValidityTheFullValidationDecides() throws Exception {
        chains.validate(List.of(ca), sent, this::accept);
        now.set(new Date(gateway.getNotAfter().getTime() + 1000));
        assertThrows(IkeFailureException.class, () -> chains.validate(List.of(ca), sent, this::reject));
        now.set(new Date(gateway.getNotBefore().getTime() - 1000));
        assertThrows(IkeFailureException.class, () -> chains.validate(List.of(ca), sent, this::reject));
        assertEquals(3, fullValidations.get());

        now.set(new Date());
        chains.validate(List.of(ca), sent, this::accept);
        assertEquals(3, fullValidations.get(), "the accepted result is still remembered");
    }

    @Test
    void theLeastRecentlyUsedResultIsForgottenBeyondTheCapacity() throws Exception {
        // Distinct questions from distinct CA lists.
        for (int i = 0; i <= ValidatedChains.CAPACITY; i++) {
            chains.validate(Collections.nCopies(i + 1, ca), sent, this::accept);
        }
        chains.validate(List.of(ca), sent, this::accept); // the first one, pushed out
        assertEquals(ValidatedChains.CAPACITY + 2, fullValidations.get());
        chains.validate(Collections.nCopies(ValidatedChains.CAPACITY + 1, ca), sent, this::accept);
        assertEquals(ValidatedChains.CAPACITY + 2, fullValidations.get(), "the most recent one is still there");
    }
}
