package org.mobilevpn.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspLifetime;
import org.mobilevpn.api.esp.EspSaListener;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.SaDirection;
import org.mobilevpn.api.ipsec.EspKeys;

/**
 * Independent check of what tshark 4.0 cannot check: ChaCha20-Poly1305 and 64-bit ESN for every suite,
 * across the 2^32 boundary. A Python script decrypts our packets with the 'cryptography' package
 * (OpenSSL): another implementation of each primitive, with the ESP framing (AAD, ICV input, padding)
 * written from the RFCs in a few lines of Python. Needs python3 with 'cryptography' (Debian:
 * python3-cryptography); skipped without it, failing when CI=true.
 */
class PythonCryptographyDecryptsOurEspIT {

    /** Debian's interpreter, where install-deps puts python3-cryptography (not whatever python3 is first on PATH). */
    private static final String PYTHON = "/usr/bin/python3";

    private static Path script;

    @BeforeAll
    static void requirePythonCryptography(@TempDir Path dir) throws Exception {
        boolean available;
        try {
            Process probe = new ProcessBuilder(PYTHON, "-c", "import cryptography.hazmat.primitives.ciphers.aead")
                    .redirectErrorStream(true).start();
            available = probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("python3 with the 'cryptography' package is required in CI (apt package python3-cryptography)");
        }
        assumeTrue(available, "python3 'cryptography' not installed: independent ESN/ChaCha check skipped");
        script = dir.resolve("esp_open.py");
        try (InputStream in = PythonCryptographyDecryptsOurEspIT.class.getResourceAsStream("esp_open.py")) {
            Files.copy(in, script);
        }
    }

    static java.util.stream.Stream<TestSas.Suite> suites() {
        return TestSas.suites();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suites")
    void pythonOpensOurPacketsWithEsnAcrossTheWrapAndWithout(TestSas.Suite suite) throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        EspTransformFactoryComponent factory = new EspTransformFactoryComponent();
        HexFormat hex = HexFormat.of();
        EspKeys keys = TestSas.keys(suite, 42);
        String keyFields = hex.formatHex(keys.encryptionKey().toByteArray()) + " " + orDash(hex.formatHex(keys.salt().toByteArray())) + " "
                + orDash(hex.formatHex(keys.integrityKey().toByteArray()));
        for (boolean esn : new boolean[] {false, true}) {
            long start = esn ? 0xFFFF_FFFDL : 0;
            try (EspEncryptor out = factory.createEncryptor(
                    TestSas.sa(suite, SaDirection.OUTBOUND, esn, start, EspLifetime.UNLIMITED, 64), EspSaListener.NONE)) {
                for (int i = 0; i < 5; i++) {
                    byte[] inner = i % 2 == 0 ? TestPackets.icmpEcho(7, i, 20 + 37 * i) : TestPackets.ipv6(60 + 101 * i, i);
                    ByteBuffer esp = ByteBuffer.allocate(out.outputLength(inner.length));
                    assertEquals(EspStatus.OK, out.encrypt(ByteBuffer.wrap(inner), esp));
                    lines.add(suite + " " + keyFields + " " + (esn ? 1 : 0) + " " + Integer.toHexString(TestSas.SPI)
                            + " " + out.sequenceNumber() + " " + hex.formatHex(esp.array()));
                    expected.add(hex.formatHex(inner));
                }
                if (esn) {
                    assertEquals(0x1_0000_0002L, out.sequenceNumber(), "the ESN packets crossed 2^32");
                }
            }
        }
        assertEquals(expected, runScript(lines));

        // A wrong ESN high half must fail the ICV there too, so the check can fail.
        String last = lines.get(lines.size() - 1);
        String[] f = last.split(" ");
        f[6] = String.valueOf(Long.parseLong(f[6]) + (1L << 32));
        assertEquals(List.of("FAIL icv"), runScript(List.of(String.join(" ", f))));
    }

    private static String orDash(String hex) {
        return hex.isEmpty() ? "00" : hex;
    }

    private static List<String> runScript(List<String> input) throws Exception {
        Process python = new ProcessBuilder(PYTHON, script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        python.getOutputStream().write((String.join("\n", input) + "\n").getBytes(StandardCharsets.US_ASCII));
        python.getOutputStream().close();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!python.waitFor(120, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            fail("python did not finish");
        }
        assertEquals(0, python.exitValue(), output);
        return output.lines().toList();
    }
}
