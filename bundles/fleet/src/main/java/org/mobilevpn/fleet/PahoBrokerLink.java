package org.mobilevpn.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The broker link over Eclipse Paho's MQTT 5 client. Reconnecting is ours, not Paho's (Paho retries only
 * after a first success): every attempt tries the broker list in order, and after a failure the next one
 * waits as {@link BrokerBackoff} says. Each session starts clean (the agent subscribes again and the
 * broker hands it the retained desired documents, which is how a device catches up after being away).
 */
public final class PahoBrokerLink implements BrokerLink {
    private static final long WAIT_MILLIS = 10_000;

    private final List<URI> brokers;
    private final String clientId;
    private final SSLSocketFactory tls;
    private final Duration keepalive;
    private final ScheduledExecutorService scheduler;
    private final BrokerBackoff backoff;
    private final FleetLog log;
    private MqttAsyncClient client;
    private Listener listener;
    private Supplier<Will> will;
    private ScheduledFuture<?> pending;
    private volatile boolean closed;
    private volatile boolean connected;

    /**
     * @param tls for ssl:// brokers; null when every broker is tcp://
     * @param scheduler runs the connect attempts (not the agent's work)
     */
    public PahoBrokerLink(List<URI> brokers, String clientId, SSLSocketFactory tls, Duration keepalive,
            ScheduledExecutorService scheduler, BrokerBackoff backoff, FleetLog log) {
        this.brokers = List.copyOf(brokers);
        this.clientId = clientId;
        this.tls = tls;
        this.keepalive = keepalive;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.log = log;
    }

    @Override
    public synchronized void start(Listener listener, Supplier<Will> will) {
        this.listener = listener;
        this.will = will;
        try {
            client = new MqttAsyncClient(brokers.get(0).toString(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("broker: " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
        schedule(Duration.ZERO);
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        pending = scheduler.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void attempt() {
        if (closed || client.isConnected()) {
            return;
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(brokers.stream().map(URI::toString).toArray(String[]::new));
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval((int) keepalive.toSeconds());
        options.setConnectionTimeout(10);
        options.setHttpsHostnameVerificationEnabled(true);
        if (tls != null) {
            options.setSocketFactory(tls);
        }
        Will w = will.get();
        if (w != null) {
            MqttMessage lastWill = new MqttMessage(w.payload());
            lastWill.setQos(1);
            lastWill.setRetained(w.retained());
            options.setWill(w.topic(), lastWill);
        }
        try {
            client.connect(options, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // connectComplete reports it, with the broker's URI
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    retry("no broker of " + brokers + " answered: " + describe(e));
                }
            });
        } catch (MqttException | RuntimeException e) {
            retry("cannot connect: " + describe(e));
        }
    }

    private void retry(String why) {
        Duration delay = backoff.next();
        log.warn(why + "; next attempt in " + delay.toMillis() + " ms");
        schedule(delay);
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return e.getMessage() + (cause != e ? " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")" : "");
    }

    @Override
    public void subscribe(List<String> filters) throws LinkException {
        MqttSubscription[] subs = filters.stream().map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new);
        try {
            IMqttToken token = client.subscribe(subs);
            token.waitForCompletion(WAIT_MILLIS);
            int[] codes = token.getReasonCodes();
            for (int i = 0; codes != null && i < codes.length && i < filters.size(); i++) {
                if (codes[i] >= 0x80) {
                    log.warn("the broker refused the subscription to " + filters.get(i) + " (reason code 0x"
                            + Integer.toHexString(codes[i]) + "): check its ACL");
                }
            }
        } catch (MqttException | RuntimeException e) {
            throw new LinkException("subscribing to " + filters + " failed: " + describe(e), e);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retained, byte[] correlation) throws LinkException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(qos);
        m.setRetained(retained);
        if (correlation != null) {
            MqttProperties p = new MqttProperties();
            p.setCorrelationData(correlation);
            m.setProperties(p);
        }
        try {
            client.publish(topic, m);
        } catch (MqttException | RuntimeException e) {
            throw new LinkException("publishing to " + topic + " failed: " + describe(e), e);
        }
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void close() {
        MqttAsyncClient c;
        synchronized (this) {
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
            c = client;
        }
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnect(WAIT_MILLIS / 2).waitForCompletion(WAIT_MILLIS);
            }
        } catch (MqttException | RuntimeException e) {
            log.warn("clean disconnect failed: " + describe(e));
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            // the threads are gone with the client in any case
        }
        connected = false;
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            connected = false;
            if (closed) {
                return;
            }
            String reason = response.getReasonString() != null ? response.getReasonString()
                    : response.getException() != null ? describe(response.getException()) : "reason code " + response.getReturnCode();
            listener.disconnected(reason);
            retry("lost the broker: " + reason);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            log.warn("MQTT error: " + describe(e));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            MqttProperties p = message.getProperties();
            listener.message(topic, message.getPayload(), message.isRetained(), p == null ? null : p.getResponseTopic(),
                    p == null ? null : p.getCorrelationData());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            connected = true;
            backoff.reset();
            listener.connected(serverURI);
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
