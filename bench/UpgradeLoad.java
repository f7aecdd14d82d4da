import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load for a release under way: PLAIN clients GET the webapp's page ({@code URL/}) on keep-alive
 * connections, SESSIONS clients each keep a counter in a session of their own ({@code URL/counter.jsp}
 * answers {@code n=N version=V ...}, N counting the session's requests) and check every answer is the one
 * before plus one — a counter that resets or jumps is a lost session. Each client keeps its own
 * connection and its own cookie, taking every {@code Set-Cookie: JSESSIONID} it gets (a node that takes a
 * session over may rename it with its route). Every client sends at most RATE requests a second (0: as
 * fast as answers come), so both systems get the same offered load.
 *
 * <p>Runs until SECONDS have passed or STOP_FILE exists. BASELINE_START, ROLL_START and ROLL_END are files
 * the caller writes, each holding epoch milliseconds: when the warm-up ended, when the release started and
 * when it ended; a request belongs to "warm-up", "before", "during" or "after" by the time it was sent
 * (every request counts in the totals; the phases are for the latencies).
 *
 * <p>Usage: java bench/UpgradeLoad.java URL [--plain C] [--sessions S] [--rate R] [--seconds N]
 * [--stop-file F] [--baseline-start F] [--roll-start F] [--roll-end F] [--versions v1,v2] [--timeout SECONDS]
 *
 * <p>Prints on standard output: {@code # start_epoch_ms=T}, a CSV header, then each second
 * {@code t,ok,failed,p50_ms,p99_ms,<one column per version>} (requests that ended in that second; the
 * second the load stopped in is left out: it would show as a dip), and at
 * the end {@code TOTAL key=value ...} lines. Failures and lost sessions are described on standard error
 * (the first 50 of each).
 */
public class UpgradeLoad {
    private static final Pattern VERSION = Pattern.compile("version=(\\S+)");
    private static final Pattern COUNTER = Pattern.compile("n=(\\d+)");
    private static final int MAX_REPORTED = 50;

    private final String base;
    private final List<String> versions;
    private final Duration timeout;
    private final long rate;
    private final long startNanos = System.nanoTime();
    private final long startEpochMs = System.currentTimeMillis();
    private volatile boolean running = true;

    /** Requests that ended in second t (since the start), by t. */
    private final Map<Integer, Second> seconds = new TreeMap<>();
    /** Every request: its send time (ms since start) and latency (µs), for the phases. */
    private long[] sent = new long[1 << 16];
    private long[] latency = new long[1 << 16];
    private int recorded;

    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong non2xx = new AtomicLong();
    private final AtomicLong ioErrors = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong lostSessions = new AtomicLong();
    private final AtomicLong counted = new AtomicLong();
    private final Map<String, AtomicLong> perVersion = new LinkedHashMap<>();
    private final Map<String, long[]> versionSpan = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> losses = new ConcurrentLinkedQueue<>();
    private final Set<Integer> clientsThatLost = ConcurrentHashMap.newKeySet();

    /** The requests that ended in one second. */
    private static final class Second {
        long ok;
        long failed;
        long[] micros = new long[256];
        int n;
        final Map<String, Long> versions = new LinkedHashMap<>();
    }

    UpgradeLoad(String base, List<String> versions, Duration timeout, long rate) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.versions = versions;
        this.timeout = timeout;
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("--")) {
            System.err.println("usage: java bench/UpgradeLoad.java URL [--plain C] [--sessions S] [--rate R]"
                    + " [--seconds N] [--stop-file F] [--baseline-start F] [--roll-start F] [--roll-end F]"
                    + " [--versions v1,v2] [--timeout SECONDS]");
            System.exit(2);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        int plain = Integer.parseInt(o.getOrDefault("--plain", "8"));
        int sessions = Integer.parseInt(o.getOrDefault("--sessions", "16"));
        long rate = Long.parseLong(o.getOrDefault("--rate", "25"));
        long seconds = Long.parseLong(o.getOrDefault("--seconds", "600"));
        Path stop = o.containsKey("--stop-file") ? Path.of(o.get("--stop-file")) : null;
        Path baselineStart = o.containsKey("--baseline-start") ? Path.of(o.get("--baseline-start")) : null;
        Path rollStart = o.containsKey("--roll-start") ? Path.of(o.get("--roll-start")) : null;
        Path rollEnd = o.containsKey("--roll-end") ? Path.of(o.get("--roll-end")) : null;
        List<String> versions = List.of(o.getOrDefault("--versions", "v1,v2").split(","));
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("--timeout", "10")));
        new UpgradeLoad(args[0], versions, timeout, rate).run(plain, sessions, seconds, stop,
                new Path[] {baselineStart, rollStart, rollEnd});
    }

    void run(int plain, int sessions, long maxSeconds, Path stop, Path[] markers) throws Exception {
        for (String v : versions) {
            perVersion.put(v, new AtomicLong());
        }
        System.out.println("# start_epoch_ms=" + startEpochMs);
        System.out.println("t,ok,failed,p50_ms,p99_ms," + String.join(",", versions));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < plain + sessions; i++) {
            int id = i;
            boolean session = i >= plain;
            Thread t = new Thread(() -> client(id, session), (session ? "session-" : "plain-") + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        int printed = 0;
        long deadline = maxSeconds * 1000;
        while (running) {
            Thread.sleep(100);
            long now = elapsedMs();
            // a second is printed once it is over (requests are filed by the time they ended)
            for (; (printed + 1) * 1000L + 50 <= now; printed++) {
                printSecond(printed);
            }
            if (now >= deadline || (stop != null && Files.exists(stop))) {
                running = false;
            }
        }
        long stoppedAt = elapsedMs();
        for (Thread t : threads) {
            t.join(timeout.toMillis() + 5_000);
        }
        for (Thread t : threads) {
            t.interrupt();
        }
        // the seconds that were whole when the load stopped (the one it stopped in would show a dip)
        for (; (printed + 1) * 1000L <= stoppedAt; printed++) {
            printSecond(printed);
        }
        totals(readMarker(markers[0]), readMarker(markers[1]), readMarker(markers[2]), plain, sessions);
    }

    private long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void client(int id, boolean session) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String path = session ? "/counter.jsp" : "/";
        String cookie = null;
        long counter = 0;
        boolean lastFailed = false;
        long period = rate > 0 ? 1_000_000_000L / rate : 0;
        long next = System.nanoTime() + (period > 0 ? (long) (Math.random() * period) : 0);
        while (running) {
            if (period > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                next += period;
                if (System.nanoTime() - next > period) {
                    next = System.nanoTime();   // late: go on from now, no burst to catch up
                }
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).GET();
            if (cookie != null) {
                b.header("Cookie", "JSESSIONID=" + cookie);
            }
            long sentAt = elapsedMs();
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                long micros = (System.nanoTime() - t0) / 1000;
                for (String c : r.headers().allValues("Set-Cookie")) {
                    if (c.startsWith("JSESSIONID=")) {
                        int end = c.indexOf(';');
                        cookie = c.substring("JSESSIONID=".length(), end < 0 ? c.length() : end);
                    }
                }
                if (r.statusCode() / 100 != 2) {
                    non2xx.incrementAndGet();
                    failed(id, path, r.statusCode() + " " + r.body().strip().replaceAll("\\s+", " "), sentAt);
                    lastFailed = true;
                    continue;
                }
                Matcher v = VERSION.matcher(r.body());
                String version = v.find() ? v.group(1) : "?";
                if (session) {
                    Matcher n = COUNTER.matcher(r.body());
                    long got = n.find() ? Long.parseLong(n.group(1)) : -1;
                    // after a failed request the node may have counted it without us seeing the answer
                    boolean fine = got == counter + 1 || (lastFailed && got == counter + 2);
                    if (!fine) {
                        lostSessions.incrementAndGet();
                        clientsThatLost.add(id);
                        if (losses.size() < MAX_REPORTED) {
                            losses.add(String.format("%.3f s client %d: counter %d after %d (%s)", sentAt / 1000.0,
                                    id, got, counter, r.body().strip()));
                        }
                    }
                    counter = got;
                    counted.incrementAndGet();
                }
                lastFailed = false;
                ok.incrementAndGet();
                record(sentAt, micros, true, version);
            } catch (HttpTimeoutException e) {
                timeouts.incrementAndGet();
                failed(id, path, e.toString(), sentAt);
                lastFailed = true;
            } catch (IOException e) {
                ioErrors.incrementAndGet();
                failed(id, path, e.toString(), sentAt);
                lastFailed = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (lastFailed && period == 0) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void failed(int id, String path, String what, long sentAt) {
        if (failures.size() < MAX_REPORTED) {
            failures.add(String.format("%.3f s client %d %s: %s", sentAt / 1000.0, id, path, what));
        }
        record(sentAt, -1, false, null);
    }

    /** Files one ended request: in the second it ended in, and (when answered) with its send time. */
    private void record(long sentAt, long micros, boolean answered, String version) {
        int second = (int) (elapsedMs() / 1000);
        synchronized (seconds) {
            Second s = seconds.computeIfAbsent(second, k -> new Second());
            if (answered) {
                s.ok++;
                if (s.n == s.micros.length) {
                    s.micros = Arrays.copyOf(s.micros, s.n * 2);
                }
                s.micros[s.n++] = micros;
                s.versions.merge(version, 1L, Long::sum);
                if (recorded == sent.length) {
                    sent = Arrays.copyOf(sent, recorded * 2);
                    latency = Arrays.copyOf(latency, recorded * 2);
                }
                sent[recorded] = sentAt;
                latency[recorded++] = micros;
                perVersion.computeIfAbsent(version, k -> new AtomicLong()).incrementAndGet();
                long[] span = versionSpan.computeIfAbsent(version, k -> new long[] {sentAt, sentAt});
                span[0] = Math.min(span[0], sentAt);
                span[1] = Math.max(span[1], sentAt);
            } else {
                s.failed++;
            }
        }
    }

    private void printSecond(int t) {
        Second s;
        synchronized (seconds) {
            s = seconds.get(t);
        }
        StringBuilder line = new StringBuilder();
        if (s == null) {
            line.append(t).append(",0,0,,");
            for (int i = 0; i < versions.size(); i++) {
                line.append(",0");
            }
        } else {
            synchronized (seconds) {
                long[] sorted = Arrays.copyOf(s.micros, s.n);
                Arrays.sort(sorted);
                line.append(t).append(',').append(s.ok).append(',').append(s.failed).append(',')
                        .append(ms(percentile(sorted, 50))).append(',').append(ms(percentile(sorted, 99)));
                for (String v : versions) {
                    line.append(',').append(s.versions.getOrDefault(v, 0L));
                }
            }
        }
        System.out.println(line);
        System.out.flush();
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static String ms(long micros) {
        return micros < 0 ? "" : String.format("%.1f", micros / 1000.0);
    }

    /** The epoch ms a marker file holds, as ms since this run's start; -1 when there is none. */
    private long readMarker(Path file) {
        try {
            if (file == null || !Files.exists(file)) {
                return -1;
            }
            return Long.parseLong(Files.readString(file).strip()) - startEpochMs;
        } catch (IOException | NumberFormatException e) {
            System.err.println("marker " + file + " unreadable: " + e);
            return -1;
        }
    }

    private void totals(long baselineStart, long rollStart, long rollEnd, int plain, int sessions) {
        long failed = non2xx.get() + ioErrors.get() + timeouts.get();
        List<Long> before = new ArrayList<>();
        List<Long> during = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        synchronized (seconds) {
            for (int i = 0; i < recorded; i++) {
                if (sent[i] < baselineStart) {
                    continue;
                } else if (rollStart < 0 || sent[i] < rollStart) {
                    before.add(latency[i]);
                } else if (rollEnd < 0 || sent[i] < rollEnd) {
                    during.add(latency[i]);
                } else {
                    after.add(latency[i]);
                }
            }
        }
        System.out.printf("TOTAL requests=%d ok=%d failed=%d non2xx=%d io_errors=%d timeouts=%d%n",
                ok.get() + failed, ok.get(), failed, non2xx.get(), ioErrors.get(), timeouts.get());
        System.out.printf("TOTAL lost_sessions=%d clients_that_lost=%d counted_requests=%d plain_clients=%d"
                + " session_clients=%d rate_per_client=%d%n", lostSessions.get(), clientsThatLost.size(),
                counted.get(), plain, sessions, rate);
        System.out.printf("TOTAL p50_before_ms=%s p99_before_ms=%s p50_during_ms=%s p99_during_ms=%s"
                + " p99_after_ms=%s answered_before=%d answered_during=%d answered_after=%d%n",
                ms(percentile(sortedOf(before), 50)), ms(percentile(sortedOf(before), 99)),
                ms(percentile(sortedOf(during), 50)), ms(percentile(sortedOf(during), 99)),
                ms(percentile(sortedOf(after), 99)), before.size(), during.size(), after.size());
        System.out.printf("TOTAL baseline_start_s=%s roll_start_s=%s roll_end_s=%s%n", seconds(baselineStart),
                seconds(rollStart), seconds(rollEnd));
        StringBuilder v = new StringBuilder("TOTAL");
        synchronized (seconds) {
            for (Map.Entry<String, AtomicLong> e : perVersion.entrySet()) {
                long[] span = versionSpan.get(e.getKey());
                v.append(' ').append("version_").append(e.getKey()).append('=').append(e.getValue().get());
                if (span != null) {
                    v.append(String.format(" %s_first_s=%.3f %s_last_s=%.3f", e.getKey(), span[0] / 1000.0,
                            e.getKey(), span[1] / 1000.0));
                }
            }
        }
        System.out.println(v);
        failures.forEach(f -> System.err.println("failed: " + f));
        losses.forEach(l -> System.err.println("lost session: " + l));
    }

    private static String seconds(long ms) {
        return ms < 0 ? "" : String.format("%.3f", ms / 1000.0);
    }

    private static long[] sortedOf(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
