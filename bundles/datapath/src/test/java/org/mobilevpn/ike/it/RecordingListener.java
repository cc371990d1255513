package org.mobilevpn.ike.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.mobilevpn.api.FailureReason;
import org.mobilevpn.api.ike.ChildSaInfo;
import org.mobilevpn.api.ike.IkeSaInfo;
import org.mobilevpn.api.ike.IkeSessionListener;

/** Records every event of a session in order, and lets a test wait for the next one of a kind. */
final class RecordingListener implements IkeSessionListener {

    sealed interface Event permits IkeUp, ChildUp, ChildRekeyed, ChildRekeyedByPeer, ChildDeleted, IkeRekeyed,
            LivenessAnswered, IkeDeleted,
            Failed {
    }

    record IkeUp(IkeSaInfo info) implements Event {
    }

    record ChildUp(ChildSaInfo info) implements Event {
    }

    record ChildRekeyed(int replacedSpiIn, ChildSaInfo info) implements Event {
    }

    /** The gateway's rekey of a Child SA, reported before our answer left. */
    record ChildRekeyedByPeer(int replacedSpiIn, ChildSaInfo info) implements Event {
    }

    record ChildDeleted(int spiIn, boolean byPeer) implements Event {
    }

    record IkeRekeyed(IkeSaInfo info) implements Event {
    }

    /** The gateway answered a liveness check: its answer reached the session. */
    record LivenessAnswered(Duration roundTrip) implements Event {
    }

    record IkeDeleted(boolean byPeer) implements Event {
    }

    record Failed(FailureReason reason, String message) implements Event {
    }

    private final BlockingQueue<Event> pending = new LinkedBlockingQueue<>();
    private final List<Event> all = new CopyOnWriteArrayList<>();

    private void add(Event e) {
        all.add(e);
        pending.add(e);
    }

    @Override
    public void ikeSaEstablished(IkeSaInfo ikeSa) {
        add(new IkeUp(ikeSa));
    }

    @Override
    public void childSaEstablished(ChildSaInfo childSa) {
        add(new ChildUp(childSa));
    }

    @Override
    public void childSaRekeyed(int replacedSpiIn, ChildSaInfo replacement) {
        add(new ChildRekeyed(replacedSpiIn, replacement));
    }

    @Override
    public void childSaRekeyedByPeer(int replacedSpiIn, ChildSaInfo replacement) {
        add(new ChildRekeyedByPeer(replacedSpiIn, replacement));
    }

    @Override
    public void childSaDeleted(int spiIn, boolean byPeer) {
        add(new ChildDeleted(spiIn, byPeer));
    }

    @Override
    public void ikeSaRekeyed(IkeSaInfo replacement) {
        add(new IkeRekeyed(replacement));
    }

    @Override
    public void livenessChecked(Duration roundTrip) {
        add(new LivenessAnswered(roundTrip));
    }

    @Override
    public void ikeSaDeleted(boolean byPeer) {
        add(new IkeDeleted(byPeer));
    }

    @Override
    public void failed(FailureReason reason, String message) {
        add(new Failed(reason, message));
    }

    /** Waits for the next event of this type, skipping others; fails on a final event of another type or timeout. */
    <T extends Event> T next(Class<T> type, Duration timeout) {
        return next(type, e -> true, timeout);
    }

    <T extends Event> T next(Class<T> type, Predicate<T> test, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Event e = left <= 0 ? null : pending.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + timeout + "; events: " + all);
                }
                if (type.isInstance(e) && test.test(type.cast(e))) {
                    return type.cast(e);
                }
                if ((e instanceof Failed || e instanceof IkeDeleted) && !type.isInstance(e)) {
                    throw new AssertionError("session ended with " + e + " while waiting for " + type.getSimpleName());
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    List<Event> all() {
        return List.copyOf(all);
    }
}
