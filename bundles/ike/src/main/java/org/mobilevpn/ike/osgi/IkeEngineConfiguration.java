package org.mobilevpn.ike.osgi;

import org.mobilevpn.ike.engine.EngineSettings;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The IKE engine's own settings, PID {@value IkeEngineComponent#PID}: what applies to every connection, as
 * strongswan.conf is to swanctl.conf (a connection's keys are its profile). Names follow strongswan.conf's
 * {@code charon.*} where it has one. A change applies to connections started afterwards. (A double
 * underscore in a method name stands for one underscore in the key.)
 */
@ObjectClassDefinition(name = "mobilevpn IKE engine",
        description = "Settings of the IKEv2 engine for all connections (strongswan.conf's charon.* for ours).")
@interface IkeEngineConfiguration {

    @AttributeDefinition(name = "retransmit_timeout",
            description = "Seconds before the first retransmission of an unanswered request (RFC 7296 §2.1).")
    double retransmit__timeout() default EngineSettings.DEFAULT_RETRANSMIT_TIMEOUT_SECONDS;

    @AttributeDefinition(name = "retransmit_base",
            description = "Each further retransmission waits this many times longer than the one before (at least 1).")
    double retransmit__base() default EngineSettings.DEFAULT_RETRANSMIT_BASE;

    @AttributeDefinition(name = "retransmit_tries", min = "1",
            description = "Retransmissions before a request fails and the connection is reported unreachable.")
    int retransmit__tries() default EngineSettings.DEFAULT_RETRANSMIT_TRIES;

    @AttributeDefinition(name = "fragment_size", min = "576", max = "65535",
            description = "Largest IP datagram of an IKE message; larger ones are fragmented (RFC 7383).")
    int fragment__size() default EngineSettings.DEFAULT_FRAGMENT_SIZE;

    @AttributeDefinition(name = "fragmentation", description = "Offer IKE fragmentation (RFC 7383) to gateways.")
    boolean fragmentation() default true;

    @AttributeDefinition(name = "rekey_jitter",
            description = "Fraction of a rekey time (rekey_time, child_rekey_time) subtracted at random, 0 to below 1, "
                    + "so that peers do not rekey at the same moment.")
    double rekey__jitter() default EngineSettings.DEFAULT_REKEY_JITTER;
}
