package io.herdcat.vip;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code front.on.elected} or {@code front.on.demoted} command with {@code sh -c}, like
 * keepalived's notify scripts: the environment names the node ({@code HERDCAT_NODE}), the address that
 * moves with the front ({@code HERDCAT_VIP}, empty without one) and what happened ({@code HERDCAT_EVENT},
 * {@code elected} or {@code demoted}). Each output line is logged as it comes, then the exit status; a
 * command still running after {@code front.hook.timeout} is killed with what it started.
 */
final class HookRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);
    /** Hooks start on the thread that runs them: never the privileged one. */
    private static final Executor SAME_THREAD = Runnable::run;

    /** What the hook is told happened. */
    enum Event {
        ELECTED, DEMOTED;

        String envValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String node;
    private final String vip;
    private final Duration timeout;
    private final VipCounters counters;

    /**
     * @param vip the address that moves with the front, without its prefix length; null when none
     */
    HookRunner(String node, String vip, Duration timeout, VipCounters counters) {
        this.node = node;
        this.vip = vip == null ? "" : vip;
        this.timeout = timeout;
        this.counters = counters;
    }

    /** Runs {@code command} (the value of setting {@code key}) to its end or the timeout. */
    TimedCommand.Result run(Event event, String key, String command) throws InterruptedException {
        LOG.info("Running {}", key);
        Map<String, String> env = Map.of("HERDCAT_NODE", node, "HERDCAT_VIP", vip, "HERDCAT_EVENT", event.envValue());
        TimedCommand.Result r = TimedCommand.run(List.of("sh", "-c", command), env, timeout, SAME_THREAD,
                line -> LOG.info("{}: {}", key, line));
        if (r.timedOut()) {
            counters.hookFailed();
            LOG.warn("{} killed after {} ms (front.hook.timeout)", key, timeout.toMillis());
        } else if (r.exitStatus() != 0) {
            counters.hookFailed();
            if (r.exitStatus() < 0) {
                LOG.warn("{} did not run: {}", key, r.outputLine());
            } else {
                LOG.warn("{} exited with {}", key, r.exitStatus());
            }
        } else {
            LOG.info("{} exited with 0", key);
        }
        return r;
    }
}
