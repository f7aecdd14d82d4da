package io.herdcat.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One answer of the admin API's {@code GET /upgrade} (or of the {@code POST /upgrade} that started
 * it), as the command line reads it: missing or null members read as empty text or 0, so a node that
 * answers with fewer members is still shown.
 *
 * @param id            the upgrade's id (empty when none has run)
 * @param state         {@code idle}, {@code running}, {@code done}, {@code failed} or {@code rolled-back}
 * @param war           the WAR's file name
 * @param contextPath   where it is deployed
 * @param coordinator   the node running the upgrade
 * @param elapsedMillis since it started (its whole length once it ended)
 * @param message       one line: what happens now, or how it ended
 * @param nodes         the nodes in the order they are upgraded
 */
record UpgradeSnapshot(String id, String state, String war, String contextPath, String coordinator,
                       long elapsedMillis, String message, List<Node> nodes) {
    static final String RUNNING = "running";
    static final String DONE = "done";
    static final String IDLE = "idle";

    UpgradeSnapshot {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node's part.
     *
     * @param name          the node
     * @param step          {@code waiting}, {@code staged}, … {@code done}, {@code failed} or {@code rolled-back}
     * @param elapsedMillis in this step
     * @param detail        one line, or empty
     */
    record Node(String name, String step, long elapsedMillis, String detail) {
        boolean done() {
            return DONE.equals(step);
        }

        boolean waiting() {
            return "waiting".equals(step);
        }
    }

    /** Reads an answer of {@code /upgrade}. */
    static UpgradeSnapshot of(Map<String, Object> json) {
        List<Node> nodes = new ArrayList<>();
        if (json.get("nodes") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> n) {
                    nodes.add(new Node(text(n.get("node")), text(n.get("step")), number(n.get("elapsedMillis")),
                            text(n.get("detail"))));
                }
            }
        }
        return new UpgradeSnapshot(text(json.get("id")), text(json.get("state")), text(json.get("war")),
                text(json.get("contextPath")), text(json.get("coordinator")), number(json.get("elapsedMillis")),
                text(json.get("message")), nodes);
    }

    boolean running() {
        return RUNNING.equals(state);
    }

    /** How many nodes have finished. */
    long nodesDone() {
        return nodes.stream().filter(Node::done).count();
    }

    /**
     * The node being worked on: the first that is neither done nor waiting, else the first waiting
     * one, else the last node; null when there are none.
     */
    Node current() {
        return nodes.stream().filter(n -> !n.done() && !n.waiting()).findFirst()
                .or(() -> nodes.stream().filter(Node::waiting).findFirst())
                .orElse(nodes.isEmpty() ? null : nodes.get(nodes.size() - 1));
    }

    /** Milliseconds as a clock: {@code 0:41}, {@code 12:05}, {@code 1:02:03}. */
    static String clock(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 3600) {
            return s / 60 + ":" + twoDigits(s % 60);
        }
        return s / 3600 + ":" + twoDigits(s % 3600 / 60) + ":" + twoDigits(s % 60);
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }

    private static String text(Object value) {
        return value == null ? "" : StatusTable.text(value);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
