package org.mobilevpn.ike.message;

/** Payload type numbers of RFC 7296 §3.2 (and SKF, RFC 7383 §2.5). */
public final class PayloadType {
    public static final int NONE = 0;
    public static final int SA = 33;
    public static final int KE = 34;
    public static final int IDI = 35;
    public static final int IDR = 36;
    public static final int CERT = 37;
    public static final int CERTREQ = 38;
    public static final int AUTH = 39;
    public static final int NONCE = 40;
    public static final int NOTIFY = 41;
    public static final int DELETE = 42;
    public static final int VENDOR_ID = 43;
    public static final int TSI = 44;
    public static final int TSR = 45;
    public static final int SK = 46;
    public static final int CP = 47;
    public static final int EAP = 48;
    public static final int SKF = 53;

    private PayloadType() {
    }

    /** Short name for logs, e.g. "SA", "N", "SK"; the number for unknown types. */
    public static String name(int type) {
        switch (type) {
            case SA: return "SA";
            case KE: return "KE";
            case IDI: return "IDi";
            case IDR: return "IDr";
            case CERT: return "CERT";
            case CERTREQ: return "CERTREQ";
            case AUTH: return "AUTH";
            case NONCE: return "No";
            case NOTIFY: return "N";
            case DELETE: return "D";
            case VENDOR_ID: return "V";
            case TSI: return "TSi";
            case TSR: return "TSr";
            case SK: return "SK";
            case CP: return "CP";
            case EAP: return "EAP";
            case SKF: return "SKF";
            default: return "PAYLOAD-" + type;
        }
    }
}
