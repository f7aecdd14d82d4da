package io.herdcat.demo;

import jakarta.servlet.http.HttpSession;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.Collections;

/**
 * {@code /session-demo/ws}: a WebSocket that says, as soon as it opens, which node serves it and how
 * many attributes the HTTP session of its handshake holds ({@code {"node":"a","session":"…",
 * "attributes":2}}, {@code session} null without one). It then echoes every text message unchanged,
 * except {@code status}, which gets that JSON again. The demo page's live panel shows it; the tests
 * use it to see where a WebSocket landed and that its bytes come back intact.
 */
@ServerEndpoint(value = "/ws", configurator = HandshakeSession.class)
public class SessionSocket {
    private HttpSession httpSession;

    @OnOpen
    public void onOpen(Session socket, EndpointConfig config) throws IOException {
        httpSession = (HttpSession) config.getUserProperties().remove(HandshakeSession.KEY);
        socket.getBasicRemote().sendText(status());
    }

    @OnMessage
    public String onMessage(String message) {
        return "status".equals(message) ? status() : message;
    }

    private String status() {
        String id = null;
        int attributes = 0;
        if (httpSession != null) {
            try {
                id = httpSession.getId();
                attributes = Collections.list(httpSession.getAttributeNames()).size();
            } catch (IllegalStateException invalidated) {
                id = null;
            }
        }
        return "{\"node\":" + Text.json(NodeName.get()) + ",\"session\":" + (id == null ? "null" : Text.json(id))
                + ",\"attributes\":" + attributes + "}";
    }
}
