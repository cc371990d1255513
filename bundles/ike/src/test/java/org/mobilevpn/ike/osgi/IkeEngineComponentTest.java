package org.mobilevpn.ike.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.IkeIdentity;
import org.mobilevpn.api.ike.IkeSession;
import org.mobilevpn.api.ike.IkeSessionConfig;
import org.mobilevpn.api.ike.IkeSessionListener;
import org.mobilevpn.api.ike.IkeTransport;
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
        return IkeSessionConfig.builder("t").localId(IkeIdentity.parse("client@vpn.test")).psk(new byte[] {1}).build();
    }

    @Test
    void aTransportThatCannotOpenIsUnreachable() throws Exception {
        IkeEngineComponent component = new IkeEngineComponent();
        component.logger = TestLogger.infoAndAbove(); // the runtime's default level
        component.activate();
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
            component.deactivate();
        }
    }

    @Test
    void deactivationEndsRunningSessionsAndStopsTheLoopThread() throws Exception {
        IkeEngineComponent component = new IkeEngineComponent();
        component.logger = TestLogger.infoAndAbove(); // the runtime's default level
        component.activate();
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

        component.deactivate();

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
