import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Session durability probe: writes an attribute in SESSIONS sessions on node A concurrently (mode
 * "existing": sessions created beforehand; mode "new": each write creates its session), kills A with
 * SIGKILL the instant the KILL_AFTER-th response is in (other writes still in flight), then reads every
 * session back on node B and counts the acknowledged writes (a 200 whose body shows the new value)
 * that B does not have.
 *
 * Usage: java bench/DurabilityProbe.java WRITE_URL READ_URL PID_OF_A MODE [SESSIONS] [KILL_AFTER]
 * Prints: acknowledged=N lost=M
 */
public class DurabilityProbe {
    public static void main(String[] args) throws Exception {
        String write = args[0];
        String read = args[1];
        long pid = Long.parseLong(args[2]);
        boolean fresh = "new".equals(args[3]);
        int sessions = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        int killAfter = args.length > 5 ? Integer.parseInt(args[5]) : 200;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore slots = new Semaphore(32);

        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < sessions; i++) {
            if (fresh) {
                ids.add(null);
                continue;
            }
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(write + "?name=n&value=" + i)).build(),
                    HttpResponse.BodyHandlers.ofString());
            ids.add(sessionId(r));
        }

        AtomicInteger answered = new AtomicInteger();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            int n = i;
            slots.acquire();
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(write + "?name=last&value=final-" + n))
                    .timeout(Duration.ofSeconds(20));
            if (!fresh) {
                req.header("Cookie", "JSESSIONID=" + ids.get(n));
            }
            writes.add(client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                slots.release();
                if (e == null && r.statusCode() == 200 && r.body().contains("\"last\":\"final-" + n + "\"")) {
                    if (fresh) {
                        ids.set(n, sessionId(r));
                    }
                    acknowledged.add(n);
                    if (answered.incrementAndGet() == killAfter) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).handle((x, e) -> null).get(60, TimeUnit.SECONDS);

        int lost = 0;
        for (int n : acknowledged) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(read))
                    .header("Cookie", "JSESSIONID=" + ids.get(n)).build(), HttpResponse.BodyHandlers.ofString());
            if (!r.body().contains("\"last\":\"final-" + n + "\"")) {
                lost++;
            }
        }
        System.out.println("acknowledged=" + acknowledged.size() + " lost=" + lost);
    }

    private static String sessionId(HttpResponse<String> r) {
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0].substring("JSESSIONID=".length());
    }
}
