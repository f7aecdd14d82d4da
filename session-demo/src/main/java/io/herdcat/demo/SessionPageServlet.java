package io.herdcat.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Collections;
import java.util.TreeSet;

/**
 * {@code /session-demo/}: the classic SessionExample page. It shows, big, which node served it, the
 * session id and attributes, and a form that adds one (POST, then a redirect back).
 */
public class SessionPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        if (req.getParameter("invalidate") != null) {
            session.invalidate();
        } else {
            String name = req.getParameter("name");
            String value = req.getParameter("value");
            if (name != null && !name.isBlank() && value != null) {
                session.setAttribute(name.trim(), value);
            }
        }
        resp.sendRedirect(resp.encodeRedirectURL(req.getContextPath() + "/"));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(true);
        String node = NodeName.get();
        int hue = Math.floorMod(node.hashCode() * 47, 360);
        resp.setContentType("text/html;charset=UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        PrintWriter out = resp.getWriter();
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>Session demo — " + Text.html(node) + "</title><style>");
        out.println("body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}");
        out.println(".node{background:hsl(" + hue + ",55%,42%);color:#fff;padding:28px 32px}");
        out.println(".node small{display:block;opacity:.8;font-size:15px;letter-spacing:.05em;text-transform:uppercase}");
        out.println(".node b{font-size:56px;line-height:1.1}");
        out.println("main{max-width:760px;margin:24px auto;padding:0 16px}");
        out.println("table{border-collapse:collapse;width:100%;background:#fff;margin:12px 0 20px}");
        out.println("td,th{border-bottom:1px solid #e3e6ea;padding:8px 10px;text-align:left;font-size:15px}");
        out.println("code{font-size:14px}form{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px}");
        out.println("input{padding:7px 9px;font-size:15px}button{padding:7px 14px;font-size:15px;cursor:pointer}");
        out.println("</style></head><body>");
        out.println("<div class=\"node\"><small>served by node</small><b id=\"node\">" + Text.html(node) + "</b></div><main>");
        out.println("<h2>Session</h2><table>");
        out.println("<tr><th>ID</th><td><code id=\"session\">" + Text.html(session.getId()) + "</code></td></tr>");
        out.println("<tr><th>Created</th><td>" + Instant.ofEpochMilli(session.getCreationTime()) + "</td></tr>");
        out.println("<tr><th>Last accessed</th><td>" + Instant.ofEpochMilli(session.getLastAccessedTime()) + "</td></tr>");
        out.println("</table><h2>Attributes</h2><table id=\"attributes\"><tr><th>Name</th><th>Value</th></tr>");
        for (String key : new TreeSet<>(Collections.list(session.getAttributeNames()))) {
            out.println("<tr><td>" + Text.html(key) + "</td><td>" + Text.html(session.getAttribute(key)) + "</td></tr>");
        }
        out.println("</table>");
        String action = Text.html(resp.encodeURL(req.getContextPath() + "/"));
        out.println("<form method=\"post\" action=\"" + action + "\">"
                + "<input name=\"name\" placeholder=\"name\" required><input name=\"value\" placeholder=\"value\">"
                + "<button type=\"submit\">Add to session</button></form>");
        out.println("<form method=\"post\" action=\"" + action + "\"><input type=\"hidden\" name=\"invalidate\" value=\"1\">"
                + "<button type=\"submit\">New session</button></form>");
        out.println("<p>Clear your cookies (or use a private window) to be sent to another node; "
                + "stop the node you are on and reload: your attributes stay.</p></main></body></html>");
    }
}
