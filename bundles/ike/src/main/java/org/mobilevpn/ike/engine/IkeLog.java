package org.mobilevpn.ike.engine;

/** Where the engine reports what it does; never handed a secret. The DS component adapts it to OSGi logging. */
public interface IkeLog {
    IkeLog NONE = new IkeLog() {
        @Override
        public void debug(String message) {
        }

        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message) {
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }
    };

    void debug(String message);

    void info(String message);

    void warn(String message);

    /** Whether debug lines are wanted: callers skip formatting messages (cheap, but per packet) when not. */
    default boolean isDebugEnabled() {
        return true;
    }
}
