package org.mobilevpn.fleet;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The metatype of PID org.mobilevpn.fleet, so the Web Console renders a form. The component reads the raw
 * properties with {@link FleetSettings#parse} (lists may be one comma-separated string, times {@code 30s}).
 * A double underscore in a method name stands for one underscore in the key.
 */
@ObjectClassDefinition(name = "mobilevpn fleet agent",
        description = "Connects this gateway to an MQTT 5 broker: desired policy in, reported state out, commands. "
                + "Off unless this configuration exists (etc/org.mobilevpn.fleet.cfg).")
@interface FleetConfig {

    @AttributeDefinition(name = "broker", description = "Broker URIs, tried in order: ssl://host:8883 "
            + "(mutual TLS) or tcp://host:1883 (only with allow_plain = true).")
    String[] broker();

    @AttributeDefinition(name = "device_id", description = "This device's id: its topic level "
            + "mobilevpn/v1/device/<device_id> and its name at the broker (the client certificate's CN).")
    String device__id();

    @AttributeDefinition(name = "groups", required = false,
            description = "Groups whose policy (mobilevpn/v1/group/<group>/policy) applies to this device.")
    String[] groups();

    @AttributeDefinition(name = "ca", required = false, description = "CA certificate of the broker (PEM); default etc/fleet/ca.pem.")
    String ca();

    @AttributeDefinition(name = "cert", required = false,
            description = "Client certificate: PEM or PKCS#12; default etc/fleet/cert.pem. Relative paths are in the runtime directory.")
    String cert();

    @AttributeDefinition(name = "key", required = false,
            description = "Private key of cert (PEM; mode 600); default etc/fleet/key.pem when cert is not given either.")
    String key();

    @AttributeDefinition(name = "key_password", type = AttributeType.PASSWORD, required = false,
            description = "Password of an encrypted key or PKCS#12 file. Never logged or reported.")
    String key__password();

    @AttributeDefinition(name = "allow_plain", required = false,
            description = "Accept a tcp:// broker (no TLS). The provisioning check flags it.")
    boolean allow__plain() default false;

    @AttributeDefinition(name = "require_signed", required = false,
            description = "Policy documents and bundles must be signed (JWS, ES256/RS256) with the signer's key.")
    boolean require__signed() default false;

    @AttributeDefinition(name = "signer", required = false, description = "The operator's certificate (PEM).")
    String signer();

    @AttributeDefinition(name = "keepalive", required = false, description = "MQTT keepalive (e.g. 30s).")
    String keepalive() default "30s";

    @AttributeDefinition(name = "deploy_timeout", required = false,
            description = "How long a deployed bundle has to become ACTIVE with its components satisfied before it is rolled back.")
    String deploy__timeout() default "60s";

    @AttributeDefinition(name = "state_interval", required = false,
            description = "The state is published on every change and at least this often (counters).")
    String state__interval() default "5m";
}
