package org.mobilevpn.vnic;

import java.util.function.Supplier;
import org.osgi.service.log.Logger;

/** Where the NIC reports what it did and what went wrong; the component adapts it to the OSGi Logger. */
interface NicLog {
    void info(String message);

    void warn(String message);

    /** Logs through {@link System.Logger}, for use outside a framework. */
    static NicLog system() {
        System.Logger l = System.getLogger("org.mobilevpn.vnic");
        return new NicLog() {
            @Override
            public void info(String message) {
                l.log(System.Logger.Level.INFO, message);
            }

            @Override
            public void warn(String message) {
                l.log(System.Logger.Level.WARNING, message);
            }
        };
    }

    /** Logs through the OSGi Logger {@code logger} supplies, or through {@link #system()} while there is none. */
    static NicLog of(Supplier<Logger> logger) {
        NicLog fallback = system();
        return new NicLog() {
            @Override
            public void info(String message) {
                Logger l = logger.get();
                if (l != null) {
                    l.info(message);
                } else {
                    fallback.info(message);
                }
            }

            @Override
            public void warn(String message) {
                Logger l = logger.get();
                if (l != null) {
                    l.warn(message);
                } else {
                    fallback.warn(message);
                }
            }
        };
    }
}
