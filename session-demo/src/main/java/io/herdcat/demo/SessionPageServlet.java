package io.herdcat.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.TreeSet;

/**
 * {@code /session-demo/}: the classic SessionExample page. It shows, big, which node served it, the
 * session id and attributes, and a form that adds one (POST, then a redirect back). Its live panel
 * keeps a WebSocket to {@code /session-demo/ws} ({@link SessionSocket}) open and shows the node that
 * serves it, reconnecting a second after it closes: stop that node and the panel moves to another.
 * The page's Content-Security-Policy allows its own inline style and script (by hash), same-origin
 * connections (the WebSocket) and same-origin form posts, nothing else.
 */
public class SessionPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The live panel: the WebSocket URL comes from the panel's data-ws attribute, so the script never changes. */
    private static final String SCRIPT = "(function(){var p=document.getElementById('live'),"
            + "n=document.getElementById('ws-node'),a=document.getElementById('ws-attrs');"
            + "function open(){var w=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+p.dataset.ws);"
            + "w.onmessage=function(e){try{var s=JSON.parse(e.data);if(s.node){n.textContent=s.node;a.textContent=s.attributes;}}catch(x){}};"
            + "w.onclose=function(){n.textContent='(reconnecting)';setTimeout(open,1000);};}"
            + "open();})();";
    private static final String SCRIPT_HASH = sha256(SCRIPT);

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
        String style = style(hue);
        resp.setHeader("Content-Security-Policy", "default-src 'none'; style-src '" + sha256(style) + "'; script-src '"
                + SCRIPT_HASH + "'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        PrintWriter out = resp.getWriter();
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>Session demo — " + Text.html(node) + "</title><style>" + style + "</style></head><body>");
        out.println("<div class=\"node\"><small>served by node</small><b id=\"node\">" + Text.html(node) + "</b></div><main>");
        out.println("<h2>Session</h2><table>");
        out.println("<tr><th>ID</th><td><code id=\"session\">" + Text.html(session.getId()) + "</code></td></tr>");
        out.println("<tr><th>Created</th><td>" + Instant.ofEpochMilli(session.getCreationTime()) + "</td></tr>");
        out.println("<tr><th>Last accessed</th><td>" + Instant.ofEpochMilli(session.getLastAccessedTime()) + "</td></tr>");
        out.println("</table><h2>Attributes</h2><table id=\"attributes\"><tr><th>Name</th><th>Value</th></tr>");
        for (String key : new TreeSet<>(Collections.list(session.getAttributeNames()))) {
            out.println("<tr><td>" + Text.html(key) + "</td><td>" + Text.html(session.getAttribute(key)) + "</td></tr>");
        }
        out.println("</table><h2>Live</h2><section id=\"live\" data-ws=\"" + Text.html(req.getContextPath() + "/ws")
                + "\"><p>Over a WebSocket: node <b id=\"ws-node\">(connecting)</b>, session attributes "
                + "<b id=\"ws-attrs\">-</b></p></section>");
        String action = Text.html(resp.encodeURL(req.getContextPath() + "/"));
        out.println("<form method=\"post\" action=\"" + action + "\">"
                + "<input name=\"name\" placeholder=\"name\" required><input name=\"value\" placeholder=\"value\">"
                + "<button type=\"submit\">Add to session</button></form>");
        out.println("<form method=\"post\" action=\"" + action + "\"><input type=\"hidden\" name=\"invalidate\" value=\"1\">"
                + "<button type=\"submit\">New session</button></form>");
        out.println("<p>Clear your cookies (or use a private window) to be sent to another node; "
                + "stop the node you are on and reload: your attributes stay.</p></main><script>" + SCRIPT + "</script></body></html>");
    }

    private static String style(int hue) {
        return "body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}"
                + ".node{background:hsl(" + hue + ",55%,42%);color:#fff;padding:28px 32px}"
                + ".node small{display:block;opacity:.8;font-size:15px;letter-spacing:.05em;text-transform:uppercase}"
                + ".node b{font-size:56px;line-height:1.1}"
                + "main{max-width:760px;margin:24px auto;padding:0 16px}"
                + "table{border-collapse:collapse;width:100%;background:#fff;margin:12px 0 20px}"
                + "td,th{border-bottom:1px solid #e3e6ea;padding:8px 10px;text-align:left;font-size:15px}"
                + "code{font-size:14px}form{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px}"
                + "input{padding:7px 9px;font-size:15px}button{padding:7px 14px;font-size:15px;cursor:pointer}";
    }

    /** The CSP source for an inline block: {@code sha256-} and the Base64 of its SHA-256. */
    private static String sha256(String block) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(block.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
