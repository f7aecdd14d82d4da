package io.herdcat.dispatcher;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which of this node's fronts accept connections, and who is told when the first one opens or the last
 * one stops. While a front is handed over a new one may already open here (the node was elected again),
 * so "closed" is only told once none accepts.
 */
final class FrontAccepting {
    private final Set<Dispatcher> accepting = new HashSet<>();
    private final List<FrontStateListener> listeners = new CopyOnWriteArrayList<>();

    void addListener(FrontStateListener listener) {
        listeners.add(listener);
    }

    synchronized void opened(Dispatcher front) {
        if (accepting.add(front) && accepting.size() == 1) {
            listeners.forEach(FrontStateListener::frontOpened);
        }
    }

    synchronized void closed(Dispatcher front) {
        if (accepting.remove(front) && accepting.isEmpty()) {
            listeners.forEach(FrontStateListener::frontClosed);
        }
    }
}
