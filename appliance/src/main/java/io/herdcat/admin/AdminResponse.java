package io.herdcat.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: status, content type, body and any headers of its own. */
record AdminResponse(int status, String contentType, String body, Map<String, String> headers) {
    static final String JSON = "application/json";

    static AdminResponse json(int status, String body) {
        return new AdminResponse(status, JSON, body, new LinkedHashMap<>());
    }

    static AdminResponse of(int status, String contentType, String body) {
        return new AdminResponse(status, contentType, body, new LinkedHashMap<>());
    }

    AdminResponse with(String header, String value) {
        headers.put(header, value);
        return this;
    }
}
