package org.mobilevpn.ike.message;

/**
 * Notify message types (RFC 7296 §3.10.1 and the IANA registry): below 16384 errors, above status.
 */
public final class NotifyType {
    public static final int UNSUPPORTED_CRITICAL_PAYLOAD = 1;
    public static final int INVALID_IKE_SPI = 4;
    public static final int INVALID_MAJOR_VERSION = 5;
    public static final int INVALID_SYNTAX = 7;
    public static final int INVALID_MESSAGE_ID = 9;
    public static final int INVALID_SPI = 11;
    public static final int NO_PROPOSAL_CHOSEN = 14;
    public static final int INVALID_KE_PAYLOAD = 17;
    public static final int AUTHENTICATION_FAILED = 24;
    public static final int SINGLE_PAIR_REQUIRED = 34;
    public static final int NO_ADDITIONAL_SAS = 35;
    public static final int INTERNAL_ADDRESS_FAILURE = 36;
    public static final int FAILED_CP_REQUIRED = 37;
    public static final int TS_UNACCEPTABLE = 38;
    public static final int INVALID_SELECTORS = 39;
    public static final int TEMPORARY_FAILURE = 43;
    public static final int CHILD_SA_NOT_FOUND = 44;
    /** RFC 4555 §4: the addresses of an UPDATE_SA_ADDRESSES are not acceptable. */
    public static final int UNACCEPTABLE_ADDRESSES = 40;
    /** RFC 4555 §4: a NAT was detected although NO_NATS_ALLOWED was sent. */
    public static final int UNEXPECTED_NAT_DETECTED = 41;

    public static final int INITIAL_CONTACT = 16384;
    public static final int SET_WINDOW_SIZE = 16385;
    public static final int ADDITIONAL_TS_POSSIBLE = 16386;
    public static final int IPCOMP_SUPPORTED = 16387;
    public static final int NAT_DETECTION_SOURCE_IP = 16388;
    public static final int NAT_DETECTION_DESTINATION_IP = 16389;
    public static final int COOKIE = 16390;
    public static final int USE_TRANSPORT_MODE = 16391;
    public static final int HTTP_CERT_LOOKUP_SUPPORTED = 16392;
    public static final int REKEY_SA = 16393;
    public static final int ESP_TFC_PADDING_NOT_SUPPORTED = 16394;
    public static final int NON_FIRST_FRAGMENTS_ALSO = 16395;
    public static final int MOBIKE_SUPPORTED = 16396;
    public static final int ADDITIONAL_IP4_ADDRESS = 16397;
    public static final int ADDITIONAL_IP6_ADDRESS = 16398;
    public static final int NO_ADDITIONAL_ADDRESSES = 16399;
    public static final int UPDATE_SA_ADDRESSES = 16400;
    public static final int COOKIE2 = 16401;
    public static final int NO_NATS_ALLOWED = 16402;
    public static final int EAP_ONLY_AUTHENTICATION = 16417;
    public static final int CHILDLESS_IKEV2_SUPPORTED = 16418;
    public static final int IKEV2_FRAGMENTATION_SUPPORTED = 16430;
    public static final int SIGNATURE_HASH_ALGORITHMS = 16431;

    /** First status type; everything below is an error (RFC 7296 §3.10.1). */
    public static final int FIRST_STATUS_TYPE = 16384;

    private NotifyType() {
    }

    public static boolean isError(int type) {
        return type < FIRST_STATUS_TYPE;
    }

    public static String name(int type) {
        switch (type) {
            case UNSUPPORTED_CRITICAL_PAYLOAD: return "UNSUPPORTED_CRITICAL_PAYLOAD";
            case INVALID_IKE_SPI: return "INVALID_IKE_SPI";
            case INVALID_MAJOR_VERSION: return "INVALID_MAJOR_VERSION";
            case INVALID_SYNTAX: return "INVALID_SYNTAX";
            case INVALID_MESSAGE_ID: return "INVALID_MESSAGE_ID";
            case INVALID_SPI: return "INVALID_SPI";
            case NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
            case INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
            case AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
            case SINGLE_PAIR_REQUIRED: return "SINGLE_PAIR_REQUIRED";
            case NO_ADDITIONAL_SAS: return "NO_ADDITIONAL_SAS";
            case INTERNAL_ADDRESS_FAILURE: return "INTERNAL_ADDRESS_FAILURE";
            case FAILED_CP_REQUIRED: return "FAILED_CP_REQUIRED";
            case TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
            case INVALID_SELECTORS: return "INVALID_SELECTORS";
            case TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
            case CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
            case INITIAL_CONTACT: return "INITIAL_CONTACT";
            case NAT_DETECTION_SOURCE_IP: return "NAT_DETECTION_SOURCE_IP";
            case NAT_DETECTION_DESTINATION_IP: return "NAT_DETECTION_DESTINATION_IP";
            case COOKIE: return "COOKIE";
            case REKEY_SA: return "REKEY_SA";
            case UNACCEPTABLE_ADDRESSES: return "UNACCEPTABLE_ADDRESSES";
            case UNEXPECTED_NAT_DETECTED: return "UNEXPECTED_NAT_DETECTED";
            case MOBIKE_SUPPORTED: return "MOBIKE_SUPPORTED";
            case ADDITIONAL_IP4_ADDRESS: return "ADDITIONAL_IP4_ADDRESS";
            case ADDITIONAL_IP6_ADDRESS: return "ADDITIONAL_IP6_ADDRESS";
            case NO_ADDITIONAL_ADDRESSES: return "NO_ADDITIONAL_ADDRESSES";
            case UPDATE_SA_ADDRESSES: return "UPDATE_SA_ADDRESSES";
            case COOKIE2: return "COOKIE2";
            case NO_NATS_ALLOWED: return "NO_NATS_ALLOWED";
            case IKEV2_FRAGMENTATION_SUPPORTED: return "IKEV2_FRAGMENTATION_SUPPORTED";
            case SIGNATURE_HASH_ALGORITHMS: return "SIGNATURE_HASH_ALGORITHMS";
            default: return "NOTIFY-" + type;
        }
    }
}
