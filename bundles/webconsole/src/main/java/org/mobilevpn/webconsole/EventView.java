package org.mobilevpn.webconsole;

import java.time.Instant;

/**
 * One recent connection event.
 *
 * @param time       when it happened
 * @param connection the connection name
 * @param kind       what happened (a state name, REKEYED, ...)
 * @param text       the event in words
 */
record EventView(Instant time, String connection, String kind, String text) {
}
