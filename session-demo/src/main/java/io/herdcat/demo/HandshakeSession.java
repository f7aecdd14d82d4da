package io.herdcat.demo;

import jakarta.servlet.http.HttpSession;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Hands the HTTP session of a WebSocket handshake (the one its {@code JSESSIONID} names, never a new
 * one) to the endpoint: a WebSocket session has no other way to reach it.
 */
public class HandshakeSession extends ServerEndpointConfig.Configurator {
    /** The user property that holds the {@link HttpSession}, absent when the handshake had none. */
    static final String KEY = HttpSession.class.getName();

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Object session = request.getHttpSession();
        if (session != null) {
            config.getUserProperties().put(KEY, session);
        } else {
            config.getUserProperties().remove(KEY);
        }
    }
}
