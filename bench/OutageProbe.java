import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Front outage probe: one client that sends GET URL every 10 ms on a new connection each time (1 s
 * connect and read timeout; 2xx = success), waits until the front has answered STEADY requests in a
 * row, then kills the processes KILL (SIGKILL, all at once; SIGTERM with --signal TERM) and keeps asking until it has had SETTLE
 * of uninterrupted successes, or MAX has passed since the kill.
 *
 * Usage: java bench/OutageProbe.java URL --kill PID[,PID...] [--steady 100] [--settle 3s] [--max 120s]
 *        [--wait 120s]   (WAIT: how long the front may take to become steady before the kill)
 *        [--signal KILL] (TERM: a graceful stop instead)
 * Prints one line:
 *   outage_ms=N        the gap between the last success before the kill and the first success of a
 *                      request sent after it (the run of failures that spans the kill)
 *   kill_to_ok_ms=N    from the kill to that first success
 *   failed=N           failed requests sent from the kill on
 *   longest_gap_ms=N   the longest gap between two successes from the kill on (more than outage_ms
 *                      when the front answered once and then failed again)
 *   recovered=BOOL     false when no success came within MAX (outage_ms is then the time waited)
 *   requests=N         requests sent from the kill on
 *   kinds=KIND:N,...   failures by kind: refused, timeout, reset, closed (no response), statusNNN (not 2xx),
 *                      connect/noroute/io (other errors), garbage (not HTTP)
 * Exit status 0 on a measurement (recovered or not), 3 when the front never became steady or a process
 * to kill was not there.
 */
public class OutageProbe {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int TIMEOUT_MS = 1000;

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        List<Long> pids = new ArrayList<>();
        int steady = 100;
        long settle = TimeUnit.SECONDS.toNanos(3);
        long max = TimeUnit.SECONDS.toNanos(120);
        long wait = TimeUnit.SECONDS.toNanos(120);
        boolean graceful = false;
        if (args.length % 2 != 1) {
            throw new IllegalArgumentException("usage: URL --kill PID[,PID...] [--OPTION VALUE]...");
        }
        for (int i = 1; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--kill" -> {
                    for (String p : v.split(",")) {
                        pids.add(Long.parseLong(p.trim()));
                    }
                }
                case "--steady" -> steady = Integer.parseInt(v);
                case "--settle" -> settle = nanos(v);
                case "--max" -> max = nanos(v);
                case "--wait" -> wait = nanos(v);
                case "--signal" -> {
                    if (!v.equals("KILL") && !v.equals("TERM")) {
                        throw new IllegalArgumentException("--signal KILL or TERM, not " + v);
                    }
                    graceful = v.equals("TERM");
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("--kill PID[,PID...] is required");
        }
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + url.getAuthority()
                + "\r\nUser-Agent: OutageProbe\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        // Before the kill: until STEADY successes in a row.
        Ticker ticker = new Ticker();
        long deadline = System.nanoTime() + wait;
        int inRow = 0;
        long lastOk = 0;
        while (inRow < steady) {
            if (System.nanoTime() > deadline) {
                System.err.println("OutageProbe: " + url + " did not answer " + steady + " requests in a row within "
                        + TimeUnit.NANOSECONDS.toSeconds(wait) + " s");
                System.exit(3);
            }
            ticker.await();
            String outcome = ask(host, port, request);
            if (outcome == null) {
                inRow++;
                lastOk = System.nanoTime();
            } else {
                inRow = 0;
            }
        }

        long kill = System.nanoTime();
        for (long pid : pids) {
            boolean signalled = graceful ? ProcessHandle.of(pid).map(ProcessHandle::destroy).orElse(false)
                    : ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false);
            if (!signalled) {
                System.err.println("OutageProbe: process " + pid + " to kill is not running");
                System.exit(3);
            }
        }

        // From the kill on: until SETTLE of uninterrupted successes, or MAX.
        Map<String, Integer> kinds = new TreeMap<>();
        int requests = 0;
        int failed = 0;
        long firstOk = 0;
        long previousOk = lastOk;
        long longestGap = 0;
        long streakStart = 0;
        long end = kill + max;
        while (true) {
            ticker.await();
            long now = System.nanoTime();
            if (now > end) {
                break;
            }
            String outcome = ask(host, port, request);
            long done = System.nanoTime();
            requests++;
            if (outcome == null) {
                if (firstOk == 0) {
                    firstOk = done;
                }
                longestGap = Math.max(longestGap, done - previousOk);
                previousOk = done;
                if (streakStart == 0) {
                    streakStart = done;
                }
                if (done - streakStart >= settle) {
                    break;
                }
            } else {
                failed++;
                kinds.merge(outcome, 1, Integer::sum);
                streakStart = 0;
            }
        }
        boolean recovered = firstOk != 0;
        long outage = recovered ? firstOk - lastOk : System.nanoTime() - lastOk;
        if (!recovered) {
            longestGap = outage;
        }
        StringBuilder kindList = new StringBuilder();
        kinds.forEach((k, n) -> kindList.append(kindList.length() == 0 ? "" : ",").append(k).append(':').append(n));
        System.out.println("outage_ms=" + ms(outage) + " kill_to_ok_ms=" + (recovered ? ms(firstOk - kill) : -1)
                + " failed=" + failed + " longest_gap_ms=" + ms(longestGap) + " recovered=" + recovered
                + " requests=" + requests + " kinds=" + (kindList.length() == 0 ? "none" : kindList));
    }

    /** One request on a new connection: null on a 2xx response, else what went wrong. */
    private static String ask(String host, int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    return "closed";
                }
                n += r;
            }
            String status = new String(head, StandardCharsets.US_ASCII);
            if (!status.startsWith("HTTP/1.")) {
                return "garbage";
            }
            byte[] rest = new byte[8192];
            while (in.read(rest) >= 0) {
                // read the response to its end: a success is a whole response
            }
            return status.charAt(9) == '2' ? null : "status" + status.substring(9, 12);
        } catch (java.net.SocketTimeoutException e) {
            return "timeout";
        } catch (java.net.ConnectException e) {
            return String.valueOf(e.getMessage()).contains("refused") ? "refused" : "connect";
        } catch (java.net.NoRouteToHostException e) {
            return "noroute";
        } catch (java.net.SocketException e) {
            return String.valueOf(e.getMessage()).contains("reset") ? "reset" : "io";
        } catch (IOException e) {
            return "io";
        }
    }

    /** Paces the requests: one every 10 ms; a request that took longer is followed at once, never by a burst. */
    private static final class Ticker {
        private long next = System.nanoTime();

        void await() throws InterruptedException {
            long now = System.nanoTime();
            if (next > now) {
                TimeUnit.NANOSECONDS.sleep(next - now);
            }
            next = Math.max(next, now) + TICK_NANOS;
        }
    }

    private static long nanos(String duration) {
        if (duration.endsWith("ms")) {
            return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(duration.substring(0, duration.length() - 2)));
        }
        if (duration.endsWith("s")) {
            return TimeUnit.SECONDS.toNanos(Long.parseLong(duration.substring(0, duration.length() - 1)));
        }
        return TimeUnit.SECONDS.toNanos(Long.parseLong(duration));
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
