package io.herdcat.vip;

import java.util.concurrent.atomic.AtomicLong;

/** Failed commands of the front's move: ip and arping runs that failed, hooks that failed or were killed. */
public final class VipCounters {
    private final AtomicLong commandFailures = new AtomicLong();
    private final AtomicLong hookFailures = new AtomicLong();

    void commandFailed() {
        commandFailures.incrementAndGet();
    }

    void hookFailed() {
        hookFailures.incrementAndGet();
    }

    /** ip and arping commands that failed, timed out or could not start. */
    public long commandFailures() {
        return commandFailures.get();
    }

    /** front.on.elected / front.on.demoted runs that exited non-zero, were killed or could not start. */
    public long hookFailures() {
        return hookFailures.get();
    }
}
