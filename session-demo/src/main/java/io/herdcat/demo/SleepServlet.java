package io.herdcat.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /sleep?ms=N}: answers after N milliseconds (0 to 60000) with a line naming the node; a
 * slow request for tests of stopping and draining. With {@code flush=1} the response starts at once
 * (its headers and a first line are flushed before the sleep), for tests of a node that fails in the
 * middle of a response. Never creates a session.
 */
public class SleepServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final long MAX_MILLIS = 60_000;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long millis;
        try {
            millis = Long.parseLong(req.getParameter("ms") == null ? "1000" : req.getParameter("ms"));
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 0 || millis > MAX_MILLIS) {
            resp.sendError(400, "ms must be a whole number from 0 to " + MAX_MILLIS);
            return;
        }
        boolean flush = "1".equals(req.getParameter("flush"));
        resp.setContentType("text/plain;charset=UTF-8");
        if (flush) {
            resp.getOutputStream().write(("Sleeping " + millis + " ms on " + NodeName.get() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            resp.flushBuffer();
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!flush) {
                resp.sendError(503, "interrupted");
            }
            return;
        }
        byte[] body = ("Slept " + millis + " ms on " + NodeName.get() + "\n").getBytes(StandardCharsets.UTF_8);
        if (!flush) {
            resp.setContentLength(body.length);
        }
        resp.getOutputStream().write(body);
    }
}
