package org.mobilevpn.vnic;

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
}
