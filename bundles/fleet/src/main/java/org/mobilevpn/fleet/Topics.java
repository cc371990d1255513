package org.mobilevpn.fleet;

import java.util.regex.Pattern;

/**
 * The topic tree of docs/fleet.md (fixed: operators' scripts and ACLs rely on it). Everything a device
 * publishes is under {@code mobilevpn/v1/device/<id>/}, so a broker ACL of one pattern line keeps each
 * device to its own subtree; group documents are the only topics outside it that a device reads.
 */
public final class Topics {
    /** Root of version 1 of the tree. */
    public static final String ROOT = "mobilevpn/v1";
    /** Device ids and group names: they become one topic level, so no '/', '+', '#' or spaces. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

    private Topics() {
    }

    /** {@code mobilevpn/v1/device/<id>}: the device's own subtree. */
    public static String device(String deviceId) {
        return ROOT + "/device/" + deviceId;
    }

    /** The desired policy of one device (retained, written by the operator). */
    public static String devicePolicy(String deviceId) {
        return device(deviceId) + "/policy";
    }

    /** The desired policy of a group (retained, written by the operator). */
    public static String groupPolicy(String group) {
        return ROOT + "/group/" + group + "/policy";
    }

    /** The reported state (retained, written by the device; its Last Will marks it offline). */
    public static String state(String deviceId) {
        return device(deviceId) + "/state";
    }

    /** Connection events as the device's EventAdmin delivers them (not retained). */
    public static String events(String deviceId) {
        return device(deviceId) + "/events";
    }

    /** Commands to the device (MQTT 5 request: response topic and correlation data). */
    public static String command(String deviceId) {
        return device(deviceId) + "/command";
    }

    /** Where responses go: requesters name a response topic below this one, inside the device's subtree. */
    public static String responses(String deviceId) {
        return device(deviceId) + "/response";
    }

    /** Whether {@code topic} is a response topic this device may publish to. */
    public static boolean isResponseTopic(String deviceId, String topic) {
        String prefix = responses(deviceId);
        return topic.equals(prefix) || (topic.startsWith(prefix + "/") && topic.indexOf('+') < 0 && topic.indexOf('#') < 0);
    }

    /** The device id of a {@code mobilevpn/v1/device/<id>/...} topic, or null. */
    public static String deviceOf(String topic) {
        String prefix = ROOT + "/device/";
        if (!topic.startsWith(prefix)) {
            return null;
        }
        int end = topic.indexOf('/', prefix.length());
        return end < 0 ? null : topic.substring(prefix.length(), end);
    }
}
