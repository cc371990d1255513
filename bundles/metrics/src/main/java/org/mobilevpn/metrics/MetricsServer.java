package org.mobilevpn.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The scrape listener: {@code GET /metrics} answers the exposition text, nothing else is served. The
 * JDK's own HTTP server on one daemon thread; no login, so it binds to loopback unless configured
 * otherwise. {@link #close()} stops the listener and its thread.
 */
final class MetricsServer implements AutoCloseable {
    static final String PATH = "/metrics";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds and starts serving.
     *
     * @param address where to listen (port 0: any free port)
     * @param body    the exposition text, produced per request
     * @throws IOException when the address cannot be bound
     */
    MetricsServer(InetSocketAddress address, Supplier<String> body) throws IOException {
        server = HttpServer.create(address, 16);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mobilevpn-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, body));
        server.start();
    }

    /** The bound address (with the actual port when 0 was asked for). */
    InetSocketAddress address() {
        return server.getAddress();
    }

    private static void handle(HttpExchange exchange, Supplier<String> body) throws IOException {
        try (exchange) {
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, "text/plain; charset=utf-8", "not found: only " + PATH + "\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            String text;
            try {
                text = body.get();
            } catch (RuntimeException e) {
                reply(exchange, 500, "text/plain; charset=utf-8", "metrics failed: " + e + "\n");
                return;
            }
            reply(exchange, 200, PrometheusWriter.CONTENT_TYPE, method.equals("HEAD") ? null : text);
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (text == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops listening at once and ends the server's thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
