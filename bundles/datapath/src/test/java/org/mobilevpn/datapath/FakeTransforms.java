package org.mobilevpn.datapath;

import java.nio.ByteBuffer;
import org.mobilevpn.api.esp.EspCounters;
import org.mobilevpn.api.esp.EspDecryptor;
import org.mobilevpn.api.esp.EspEncryptor;
import org.mobilevpn.api.esp.EspStatus;
import org.mobilevpn.api.esp.LifetimeState;

/** Transforms that only carry an SPI and Child SA id, and record whether they were closed: for table tests. */
final class FakeTransforms {
    private FakeTransforms() {
    }

    abstract static class Base {
        final int spi;
        final int childSaId;
        boolean closed;

        Base(int spi, int childSaId) {
            this.spi = spi;
            this.childSaId = childSaId;
        }

        public int spi() {
            return spi;
        }

        public int childSaId() {
            return childSaId;
        }

        public EspCounters counters() {
            return new EspCounters() {
                public long packets() {
                    return 0;
                }

                public long bytes() {
                    return 0;
                }

                public long count(EspStatus s) {
                    return 0;
                }
            };
        }

        public LifetimeState lifetimeState() {
            return LifetimeState.ACTIVE;
        }

        public long sequenceNumber() {
            return 0;
        }

        public void close() {
            closed = true;
        }
    }

    static final class Dec extends Base implements EspDecryptor {
        Dec(int spi, int childSaId) {
            super(spi, childSaId);
        }

        public int maxOverhead() {
            return 0;
        }

        public EspStatus decrypt(ByteBuffer esp, ByteBuffer inner) {
            return EspStatus.CLOSED;
        }

        public EspStatus decryptInPlace(ByteBuffer packet) {
            return EspStatus.CLOSED;
        }
    }

    static final class Enc extends Base implements EspEncryptor {
        Enc(int spi, int childSaId) {
            super(spi, childSaId);
        }

        public int headroom() {
            return 0;
        }

        public int maxTrailer() {
            return 0;
        }

        public int outputLength(int innerLength) {
            return innerLength;
        }

        public EspStatus encrypt(ByteBuffer inner, ByteBuffer esp) {
            return EspStatus.CLOSED;
        }

        public EspStatus encryptInPlace(ByteBuffer packet) {
            return EspStatus.CLOSED;
        }
    }
}
