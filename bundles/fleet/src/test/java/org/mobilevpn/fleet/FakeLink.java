package org.mobilevpn.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A broker link that records what the agent publishes and subscribes; tests deliver messages themselves. */
final class FakeLink implements BrokerLink {
    record Published(String topic, byte[] payload, int qos, boolean retained, byte[] correlation) {
        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    final List<Published> published = new ArrayList<>();
    final List<String> subscribed = new ArrayList<>();
    Listener listener;
    Supplier<Will> will;
    boolean connected;
    boolean closed;

    @Override
    public void start(Listener listener, Supplier<Will> will) {
        this.listener = listener;
        this.will = will;
    }

    @Override
    public synchronized void subscribe(List<String> filters) {
        subscribed.addAll(filters);
    }

    @Override
    public synchronized void publish(String topic, byte[] payload, int qos, boolean retained, byte[] correlation) throws LinkException {
        if (!connected) {
            throw new LinkException("not connected", null);
        }
        published.add(new Published(topic, payload, qos, retained, correlation));
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void close() {
        closed = true;
        connected = false;
    }

    synchronized List<Published> on(String topic) {
        return published.stream().filter(p -> p.topic().equals(topic)).toList();
    }

    synchronized Published last(String topic) {
        List<Published> list = on(topic);
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }
}
