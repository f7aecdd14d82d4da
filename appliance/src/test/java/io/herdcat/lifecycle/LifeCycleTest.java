package io.herdcat.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LifeCycleTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private LifeCycle.Start starts(String name) {
        return () -> events.add("start " + name);
    }

    private LifeCycle.Stop stops(String name) {
        return left -> events.add("stop " + name);
    }

    @Test
    void startsInOrderAndStopsInReverse() throws Exception {
        LifeCycle life = new LifeCycle("n1")
                .add(Phase.BIND, "admin", starts("admin"), stops("admin"))
                .add(Phase.DROP, "drop", starts("drop"))
                .add(Phase.SERVE, "cluster", starts("cluster"), stops("cluster"))
                .add(Phase.SERVE, "tomcat", starts("tomcat"), stops("tomcat"));
        life.start(Duration.ofSeconds(1));
        assertEquals(List.of("admin", "drop", "cluster", "tomcat"), life.startedParts());
        life.stop(Duration.ofSeconds(1));
        assertEquals(List.of("start admin", "start drop", "start cluster", "start tomcat",
                "stop tomcat", "stop cluster", "stop admin"), events);
        assertEquals(List.of(), life.startedParts());
    }

    @Test
    void aFailedStartStopsWhatStartedBeforeItInReverseAndNamesThePart() {
        IOException refused = new IOException("refused");
        LifeCycle life = new LifeCycle("n1")
                .add(Phase.BIND, "admin", starts("admin"), stops("admin"))
                .add(Phase.BIND, "tomcat", starts("tomcat"), stops("tomcat"))
                .add(Phase.SERVE, "cluster", () -> {
                    throw refused;
                }, stops("cluster"))
                .add(Phase.SERVE, "front", starts("front"), stops("front"));
        LifeCycle.StartFailure failure = assertThrows(LifeCycle.StartFailure.class, () -> life.start(Duration.ofSeconds(1)));
        assertEquals("cluster", failure.part());
        assertSame(refused, failure.getCause());
        assertEquals(List.of("start admin", "start tomcat", "stop tomcat", "stop admin"), events);
    }

    @Test
    void aFailingStopDoesNotKeepTheOthersFromStopping() throws Exception {
        LifeCycle life = new LifeCycle("n1")
                .add(Phase.BIND, "admin", starts("admin"), stops("admin"))
                .add(Phase.SERVE, "tomcat", starts("tomcat"), left -> {
                    throw new IllegalStateException("stuck");
                })
                .add(Phase.SERVE, "front", starts("front"), stops("front"));
        life.start(Duration.ofSeconds(1));
        life.stop(Duration.ofSeconds(1));
        assertEquals(List.of("start admin", "start tomcat", "start front", "stop front", "stop admin"), events);
    }

    @Test
    void eachStopGetsWhatIsLeftOfOneBudget() throws Exception {
        List<Duration> given = new CopyOnWriteArrayList<>();
        LifeCycle life = new LifeCycle("n1")
                .add(Phase.SERVE, "first", starts("first"), given::add)
                .add(Phase.SERVE, "second", starts("second"), left -> {
                    given.add(left);
                    Thread.sleep(50);
                });
        life.start(Duration.ofSeconds(1));
        life.stop(Duration.ofMillis(40));
        assertTrue(given.get(0).compareTo(Duration.ofMillis(40)) <= 0);
        assertEquals(Duration.ZERO, given.get(1));
    }

    @Test
    void partsMustBeAddedInPhaseOrderSoNothingServesBeforeTheDrop() {
        LifeCycle life = new LifeCycle("n1").add(Phase.SERVE, "tomcat", starts("tomcat"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> life.add(Phase.BIND, "front socket", starts("front socket")));
        assertEquals("cannot add front socket to phase BIND after phase SERVE", e.getMessage());
    }

    @Test
    void nothingCanBeAddedOnceStarted() throws Exception {
        LifeCycle life = new LifeCycle("n1").add(Phase.BIND, "admin", starts("admin"));
        life.start(Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> life.add(Phase.SERVE, "late", starts("late")));
    }
}
