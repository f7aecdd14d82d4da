package io.herdcat.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herdcat.dispatcher.DispatcherSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The front part of /status. */
class FrontJsonTest {
    @Test
    void http2CountsAreShown() {
        DispatcherSnapshot s = new DispatcherSnapshot("https", 443, 0, DispatcherSnapshot.ClientCuts.NONE, List.of(), DispatcherSnapshot.WebSockets.NONE,
                new DispatcherSnapshot.Http2(2, 5, Map.of("drain", 1L, "idle", 4L)));
        assertEquals(Map.of("connections", 2, "streams", 5, "goaways", Map.of("drain", 1L, "idle", 4L)),
                FrontJson.front(s).get("http2"));
    }
}
