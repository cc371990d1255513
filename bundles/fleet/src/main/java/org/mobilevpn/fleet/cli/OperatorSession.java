package org.mobilevpn.fleet.cli;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.mobilevpn.fleet.FleetSettings;
import org.mobilevpn.fleet.Topics;

/** One short MQTT 5 session of the operator CLI: publish, collect retained messages, or ask a device and wait. */
final class OperatorSession implements AutoCloseable {
    private static final long WAIT_MILLIS = 15_000;

    /** A message as it arrived. */
    record Received(String topic, byte[] payload, byte[] correlation) {
    }

    private final MqttAsyncClient client;
    private final String clientId;
    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private volatile java.util.function.BiConsumer<String, byte[]> listener;

    OperatorSession(FleetSettings settings, SSLSocketFactory tls) throws MqttException {
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        clientId = "operator-" + java.util.HexFormat.of().formatHex(r);
        client = new MqttAsyncClient(settings.brokers().get(0).toString(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                java.util.function.BiConsumer<String, byte[]> l = listener;
                if (l != null) {
                    l.accept(topic, message.getPayload());
                    return;
                }
                MqttProperties p = message.getProperties();
                inbox.add(new Received(topic, message.getPayload(), p == null ? null : p.getCorrelationData()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setServerURIs(settings.brokers().stream().map(Object::toString).toArray(String[]::new));
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        options.setHttpsHostnameVerificationEnabled(true);
        if (tls != null) {
            options.setSocketFactory(tls);
        }
        client.connect(options).waitForCompletion(WAIT_MILLIS);
    }

    /** From now on messages go to {@code l} (on Paho's thread) instead of being queued. */
    void onMessage(java.util.function.BiConsumer<String, byte[]> l) {
        listener = l;
    }

    void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        client.publish(topic, m).waitForCompletion(WAIT_MILLIS);
    }

    void subscribe(String filter) throws MqttException {
        IMqttToken t = client.subscribe(new MqttSubscription(filter, 1));
        t.waitForCompletion(WAIT_MILLIS);
        int[] codes = t.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            throw new MqttException(codes[0]);
        }
    }

    /** Every message that arrives within {@code quiet} of the previous one (retained messages come in a burst). */
    Map<String, byte[]> collect(Duration quiet) throws InterruptedException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Received r;
        while ((r = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            out.put(r.topic(), r.payload());
        }
        return out;
    }

    /**
     * Sends a command to a device and waits for the response with our correlation data.
     *
     * @return the response payload, or null after {@code timeout}
     */
    byte[] request(String deviceId, byte[] command, Duration timeout) throws MqttException, InterruptedException {
        String responseTopic = Topics.responses(deviceId) + "/" + clientId;
        subscribe(responseTopic);
        byte[] correlation = new byte[16];
        new SecureRandom().nextBytes(correlation);
        MqttMessage m = new MqttMessage(command);
        m.setQos(1);
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(responseTopic);
        p.setCorrelationData(correlation);
        m.setProperties(p);
        client.publish(Topics.command(deviceId), m).waitForCompletion(WAIT_MILLIS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Received r = inbox.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (r != null && r.topic().equals(responseTopic) && Arrays.equals(r.correlation(), correlation)) {
                return r.payload();
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2000).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            // exiting anyway
        }
    }
}
