package io.herdcat.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.TreeSet;

/**
 * {@code GET /session.json?name=K&value=V}: sets K=V in the session when both are given and returns
 * {@code {"node":…,"session":…,"attributes":{…}}}.
 */
public class SessionJsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        String name = req.getParameter("name");
        String value = req.getParameter("value");
        if (name != null && !name.isEmpty() && value != null) {
            session.setAttribute(name, value);
        }
        StringBuilder json = new StringBuilder(128)
                .append("{\"node\":").append(Text.json(NodeName.get()))
                .append(",\"session\":").append(Text.json(session.getId()))
                .append(",\"attributes\":{");
        boolean first = true;
        for (String key : new TreeSet<>(Collections.list(session.getAttributeNames()))) {
            json.append(first ? "" : ",").append(Text.json(key)).append(':').append(Text.json(session.getAttribute(key)));
            first = false;
        }
        json.append("}}\n");
        resp.setContentType("application/json;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(json.toString());
    }
}
