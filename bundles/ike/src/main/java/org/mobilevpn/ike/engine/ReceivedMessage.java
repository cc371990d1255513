package org.mobilevpn.ike.engine;

import org.mobilevpn.ike.message.IkeMessage;

/**
 * A received message after decryption and reassembly: the payloads, and the datagram as received
 * (AUTH signs the IKE_SA_INIT octets, RFC 7296 §2.15).
 */
record ReceivedMessage(IkeMessage message, byte[] raw) {
}
