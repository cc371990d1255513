package org.mobilevpn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web port held until its first connection, which then reaches the web server that binds the same port, over
 * real loopback sockets: what a browser's first request to a runtime whose web feature waits goes through.
 */
class WebOnFirstRequestTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void theFirstConnectionOpensTheGateAndIsHandedToTheServerThatBindsThePortAfterwards() throws Exception {
        int port = freePort();
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        WebOnFirstRequest gate = new WebOnFirstRequest(() -> List.of(address), Duration.ofSeconds(20));
        CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> {
            try {
                gate.awaitOpening();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String waiting = awaitWaitingProperty();
        assertTrue(waiting.contains(":" + port), waiting);
        Thread.sleep(200);
        assertTrue(!opened.isDone(), "the gate opened without a connection");

        try (Socket browser = new Socket(LOOPBACK, port)) {
            browser.setSoTimeout(15_000); // a connection never handed on fails the test instead of hanging it
            browser.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            browser.shutdownOutput();
            opened.get(10, TimeUnit.SECONDS);
            assertNull(System.getProperty(WebOnFirstRequest.WAITING), "still named as waiting once opened");
            // the port is free again for the web server, which starts with the raised level
            try (ServerSocket jetty = new ServerSocket(port, 50, LOOPBACK)) {
                gate.levelReached();
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> answerOnce(jetty));
                assertEquals("HTTP/1.0 200 OK\r\n\r\nfor GET / HTTP/1.0", new String(browser.getInputStream().readAllBytes(),
                        StandardCharsets.US_ASCII).strip());
                assertEquals("GET / HTTP/1.0", served.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aConnectionWhileTheServerStartsWaitsForItsPort() throws Exception {
        int port = freePort();
        WebOnFirstRequest gate = new WebOnFirstRequest(() -> List.of(new InetSocketAddress(LOOPBACK, port)),
                Duration.ofSeconds(20));
        CompletableFuture<Void> opened = CompletableFuture.runAsync(() -> {
            try {
                gate.awaitOpening();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitWaitingProperty();
        try (Socket browser = new Socket(LOOPBACK, port)) {
            browser.setSoTimeout(15_000);
            opened.get(10, TimeUnit.SECONDS);
            gate.levelReached(); // the level is reached, but the server binds its port only later
            Thread.sleep(300);
            try (ServerSocket jetty = new ServerSocket(port, 50, LOOPBACK)) {
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> answerOnce(jetty));
                browser.getOutputStream().write("GET /late HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                browser.shutdownOutput();
                assertEquals("GET /late HTTP/1.0", served.get(10, TimeUnit.SECONDS));
                assertTrue(new String(browser.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                        .contains("for GET /late"));
            }
        }
    }

    @Test
    void aPortThatCannotBeHeldStartsTheWebFeatureAtOnce() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, LOOPBACK)) {
            WebOnFirstRequest gate = new WebOnFirstRequest(
                    () -> List.of(new InetSocketAddress(LOOPBACK, taken.getLocalPort())), Duration.ofSeconds(1));
            CompletableFuture.runAsync(() -> {
                try {
                    gate.awaitOpening();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(10, TimeUnit.SECONDS);
            assertNull(System.getProperty(WebOnFirstRequest.WAITING));
        }
    }

    @Test
    void theAddressesAreTheHttpServicesOwnKeys() {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 8080)),
                HttpAddresses.of(Map.of("org.apache.felix.http.host", "127.0.0.1")::get));
        assertEquals(List.of(new InetSocketAddress(9000)), HttpAddresses.of(Map.of("org.osgi.service.http.port", "9000")::get));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 8443)), HttpAddresses.of(Map.of(
                "org.apache.felix.http.host", "127.0.0.1", "org.apache.felix.http.enable", "false",
                "org.apache.felix.https.enable", "true")::get));
        assertEquals(2, HttpAddresses.of(Map.of("org.apache.felix.https.enable", "true",
                "org.osgi.service.http.port.secure", "9443")::get).size());
        assertThrows(NumberFormatException.class, () -> HttpAddresses.of(Map.of("org.osgi.service.http.port", "web")::get));
    }

    private static String awaitWaitingProperty() throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            String waiting = System.getProperty(WebOnFirstRequest.WAITING);
            if (waiting != null) {
                return waiting;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the gate never held its port");
    }

    /** One HTTP/1.0 exchange: reads the request line, answers naming it, closes. */
    private static String answerOnce(ServerSocket server) {
        try (Socket connection = server.accept()) {
            InputStream in = connection.getInputStream();
            String request = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            String line = request.substring(0, request.indexOf("\r\n"));
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\n\r\nfor " + line).getBytes(StandardCharsets.US_ASCII));
            return line;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, LOOPBACK)) {
            return probe.getLocalPort();
        }
    }
}
