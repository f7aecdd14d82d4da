package io.herdcat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's JSON reader: every kind of value, escapes, and mistakes named with their offset. */
class JsonReaderTest {
    @Test
    void readsObjectsArraysAndScalarsKeepingMemberOrder() {
        Map<String, Object> doc = JsonReader.object(
                " {\"z\": 1, \"a\": [true, false, null, -2.5, 1e3, 9223372036854775807], \"o\": {}, \"e\": []} ");
        assertEquals(List.of("z", "a", "o", "e"), List.copyOf(doc.keySet()));
        assertEquals(1L, doc.get("z"));
        assertEquals(Arrays.asList(true, false, null, -2.5, 1000.0, Long.MAX_VALUE), doc.get("a"));
        assertEquals(Map.of(), doc.get("o"));
        assertEquals(List.of(), doc.get("e"));
    }

    @Test
    void decodesStringEscapes() {
        assertEquals("a\"b\\c/d\b\f\n\r\té€😀",
                JsonReader.read("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20AC\\ud83d\\ude00\""));
    }

    @Test
    void readsNullAtTheTopLevel() {
        assertNull(JsonReader.read("null"));
    }

    @Test
    void refusesBrokenJsonNamingWhere() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "\"open", "tru", "{\"a\":1} x",
                "\"\\x\"", "\"\\u12\"", "-", "{a:1}", "\"tab\there\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.read(bad), bad);
            assertTrue(e.getMessage().startsWith("bad JSON at offset "), e.getMessage());
        }
    }

    @Test
    void objectRefusesOtherValues() {
        assertThrows(IllegalArgumentException.class, () -> JsonReader.object("[1]"));
    }
}
