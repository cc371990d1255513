package org.mobilevpn.ike.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
import org.mobilevpn.api.ipsec.SecretBytes;
import org.mobilevpn.ike.engine.EngineSettings;
import org.mobilevpn.testsupport.TestLogger;

/** The DS component's lifecycle: sessions run on its loop; deactivation ends them and stops the thread. */
class IkeEngineComponentTest {

    /** A transport that swallows everything: the gateway never answers. */
    static final class SilentTransport implements IkeTransport {
        volatile boolean closed;
        volatile int sent;
        final boolean failOpen;

        SilentTransport(boolean failOpen) {
            this.failOpen = failOpen;
        }

        @Override
        public InetSocketAddress localEndpoint() {
            return new InetSocketAddress("198.51.100.2", 500);
        }

        @Override
        public InetSocketAddress remoteEndpoint() {
            return new InetSocketAddress("198.51.100.1", 500);
        }

        @Override
        public void setRemoteEndpoint(InetSocketAddress remote) {
        }

        @Override
        public void open(Receiver receiver) throws IOException {
            if (failOpen) {
                throw new IOException("no route");
            }
        }

        @Override
        public void send(byte[] message) {
            sent++;
        }

        @Override
        public void switchToNatTraversalPort() {
        }

        @Override
        public boolean isOnNatTraversalPort() {
            return false;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static IkeSessionConfig config() {
        return IkeSessionConfig.builder("t").localId(IkeIdentity.parse("client@vpn.test")).psk(SecretBytes.copyOf(new byte[] {1})).build();
    }

    /** The configuration as SCR would hand it: the given keys, the metatype defaults for the others. */
    static IkeEngineConfiguration configuration(Map<String, Object> values) {
        return (IkeEngineConfiguration) Proxy.newProxyInstance(IkeEngineConfiguration.class.getClassLoader(),
                new Class<?>[] {IkeEngineConfiguration.class}, (proxy, method, args) -> {
                    String key = method.getName().replace("__", "_");
                    return values.containsKey(key) ? values.get(key) : method.getDefaultValue();
                });
    }

    /**
     * The engine's own settings come from its configuration (PID org.mobilevpn.ike) and apply to sessions
     * started afterwards: with one retransmission 50 ms after the first request, an unanswered session fails
     * after two datagrams. An invalid change names its key and leaves the settings in use alone.
     */
    @Test
    void engineSettingsComeFromTheConfiguration() throws Exception {
        IkeEngineComponent component = new IkeEngineComponent();
        component.logger = TestLogger.infoAndAbove(); // the runtime's default level
        component.activate(configuration(Map.of()));
        try {
            assertEquals(EngineSettings.DEFAULTS, component.settings());
            component.modified(configuration(Map.of("retransmit_timeout", 0.05, "retransmit_base", 1.0,
                    "retransmit_tries", 1, "fragment_size", 1400, "rekey_jitter", 0.0)));
            EngineSettings quick = component.settings();
            assertEquals(Duration.ofMillis(50), quick.retransmitTimeout());
            assertEquals(1400, quick.fragmentSize());
            component.modified(configuration(Map.of("fragment_size", 100)));
            assertEquals(quick, component.settings(), "an invalid fragment_size keeps the settings in use");

            SilentTransport transport = new SilentTransport(false);
            CompletableFuture<String> failed = new CompletableFuture<>();
            component.start(config(), transport, new IkeSessionListener() {
                @Override
                public void failed(FailureReason reason, String message) {
                    failed.complete(reason + " " + message);
                }
            });
            String failure = failed.get(10, TimeUnit.SECONDS);
            assertTrue(failure.startsWith("UNREACHABLE"), failure);
            assertEquals(2, transport.sent, "the request and one retransmission: " + failure);
        } finally {
            component.deactivate(null);
        }
    }

    @Test
    void aTransportThatCannotOpenIsUnreachable() throws Exception {
        IkeEngineComponent component = new IkeEngineComponent();
        component.logger = TestLogger.infoAndAbove(); // the runtime's default level
        component.activate(configuration(Map.of()));
        try {
            CompletableFuture<FailureReason> failed = new CompletableFuture<>();
            component.start(config(), new SilentTransport(true), new IkeSessionListener() {
                @Override
                public void failed(FailureReason reason, String message) {
                    failed.complete(reason);
                }
            });
            assertEquals(FailureReason.UNREACHABLE, failed.get(10, TimeUnit.SECONDS));
        } finally {
            component.deactivate(null);
        }
    }

    @Test
    void deactivationEndsRunningSessionsAndStopsTheLoopThread() throws Exception {
        IkeEngineComponent component = new IkeEngineComponent();
        component.logger = TestLogger.infoAndAbove(); // the runtime's default level
        component.activate(configuration(Map.of()));
        SilentTransport transport = new SilentTransport(false);
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        IkeSession session = component.start(config(), transport, new IkeSessionListener() {
            @Override
            public void ikeSaDeleted(boolean byPeer) {
                ended.complete(byPeer);
            }

            @Override
            public void failed(FailureReason reason, String message) {
                ended.completeExceptionally(new AssertionError(reason + " " + message));
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (transport.sent == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10); // waiting for the first IKE_SA_INIT on the component's real thread
        }
        assertTrue(session.isActive());

        component.deactivate(null);

        assertEquals(false, ended.get(10, TimeUnit.SECONDS), "ended as deleted by us, not as a failure");
        assertFalse(session.isActive());
        assertTrue(transport.closed);
        // the executor counts as terminated just before its worker thread returns: give the thread a moment to end
        long threadDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loopThreadAlive() && System.nanoTime() < threadDeadline) {
            Thread.sleep(10);
        }
        assertFalse(loopThreadAlive(), "the loop thread is gone");
    }

    private static boolean loopThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("mobilevpn-ike") && t.isAlive());
    }
}
