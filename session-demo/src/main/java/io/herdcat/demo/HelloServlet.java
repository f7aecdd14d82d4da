package io.herdcat.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /hello}: a few bytes naming the node; never creates a session (for benchmarks). */
public class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private byte[] body;

    @Override
    public void init() {
        body = ("Hello from " + NodeName.get() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
