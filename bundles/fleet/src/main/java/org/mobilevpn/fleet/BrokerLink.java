package org.mobilevpn.fleet;

import java.util.List;
import java.util.function.Supplier;

/**
 * The agent's MQTT 5 session, seen from the agent: it connects (and reconnects) by itself, tells the
 * agent when it is connected so the agent subscribes and publishes its state, and delivers messages.
 * {@link PahoBrokerLink} is the real one.
 */
public interface BrokerLink {

    /** What the link reports; called on the link's threads, so implementations hand work to their own executor. */
    interface Listener {
        /** A session is established (first time or again): subscribe and publish the state now. */
        void connected(String brokerUri);

        /** The session is gone; the link is reconnecting. */
        void disconnected(String reason);

        /**
         * A message arrived.
         *
         * @param responseTopic MQTT 5 response topic, or null
         * @param correlation   MQTT 5 correlation data, or null
         */
        void message(String topic, byte[] payload, boolean retained, String responseTopic, byte[] correlation);
    }

    /** A message the broker publishes for us if the session ends without a DISCONNECT (RFC: Will Message). */
    record Will(String topic, byte[] payload, boolean retained) {
    }

    /**
     * Starts connecting; returns at once.
     *
     * @param will asked before every connect attempt, so the Last Will carries the latest state
     */
    void start(Listener listener, Supplier<Will> will);

    /** Subscribes (QoS 1) to these topic filters on the current session. */
    void subscribe(List<String> filters) throws LinkException;

    /**
     * Publishes.
     *
     * @param correlation MQTT 5 correlation data for a response, or null
     * @throws LinkException when not connected or the broker refused
     */
    void publish(String topic, byte[] payload, int qos, boolean retained, byte[] correlation) throws LinkException;

    /** Whether a session is established now. */
    boolean connected();

    /** Disconnects cleanly (no Last Will) and stops reconnecting; waits at most a few seconds. */
    void close();

    /** The link cannot do what was asked. */
    final class LinkException extends Exception {
        private static final long serialVersionUID = 1L;

        public LinkException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
