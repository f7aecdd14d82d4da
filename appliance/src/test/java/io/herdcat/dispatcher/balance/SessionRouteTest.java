package io.herdcat.dispatcher.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SessionRouteTest {
    @Test
    void routeFromTheSessionCookie() {
        assertEquals("node1", SessionRoute.of("theme=dark; JSESSIONID=ABC123.node1; x=y", "/app/"));
        assertEquals("node-2", SessionRoute.of("JSESSIONID=\"ABC.node-2\"", "/app/"));
    }

    @Test
    void routeFromThePathParameterWhenThereIsNoCookie() {
        assertEquals("node2", SessionRoute.of(null, "/app/page;jsessionid=ABC.node2?x=1"));
        assertEquals("node2", SessionRoute.of("other=1", "/app/page;JSESSIONID=ABC.node2"));
    }

    @Test
    void theCookieWinsOverThePath() {
        assertEquals("node1", SessionRoute.of("JSESSIONID=A.node1", "/app;jsessionid=B.node2"));
    }

    @Test
    void noRouteWithoutASessionOrWithoutASuffix() {
        assertNull(SessionRoute.of(null, "/app/"));
        assertNull(SessionRoute.of("JSESSIONID=ABC", "/app/"));
        assertNull(SessionRoute.of("JSESSIONID=ABC.", "/app/"));
        assertNull(SessionRoute.of("XJSESSIONID=ABC.node1", "/app/"));
    }
}
