package io.herdcat.dispatcher.balance;

/**
 * The route of a request's session: the part after the last '.' of its session id, taken from the
 * {@code JSESSIONID} cookie or the {@code ;jsessionid=} path parameter (Tomcat appends the jvmRoute
 * there). The cookie wins, as in Tomcat.
 */
public final class SessionRoute {
    private static final String COOKIE = "JSESSIONID=";
    private static final String PATH_PARAM = ";jsessionid=";

    private SessionRoute() {
    }

    /** The route, or null when the request carries no session id with one. */
    public static String of(String cookieHeader, String uri) {
        String fromCookie = fromCookies(cookieHeader);
        return fromCookie != null ? fromCookie : fromPath(uri);
    }

    static String fromCookies(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE)) {
                String route = routeOf(p.substring(COOKIE.length()));
                if (route != null) {
                    return route;
                }
            }
        }
        return null;
    }

    static String fromPath(String uri) {
        if (uri == null) {
            return null;
        }
        int at = uri.toLowerCase(java.util.Locale.ROOT).indexOf(PATH_PARAM);
        if (at < 0) {
            return null;
        }
        int start = at + PATH_PARAM.length();
        int end = start;
        while (end < uri.length() && "?;/#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        return routeOf(uri.substring(start, end));
    }

    private static String routeOf(String sessionId) {
        String id = sessionId.startsWith("\"") && sessionId.endsWith("\"") && sessionId.length() > 1
                ? sessionId.substring(1, sessionId.length() - 1) : sessionId;
        int dot = id.lastIndexOf('.');
        return dot < 0 || dot == id.length() - 1 ? null : id.substring(dot + 1);
    }
}
