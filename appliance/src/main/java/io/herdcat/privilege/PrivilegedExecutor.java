package io.herdcat.privilege;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread of the node that may keep a capability after root is dropped (see
 * {@link PrivilegeDrop}): the front's listening socket is opened here. Linux capabilities belong to a
 * thread, and a new thread inherits its creator's, so nothing that starts threads may run here: only
 * short system calls, with primitive and array arguments (JNA memory, which a String argument
 * allocates, would start JNA's cleaner thread from here). Without a drop it is an ordinary thread, so
 * there is one code path.
 */
public final class PrivilegedExecutor implements Executor, AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "privileged");
        t.setDaemon(true);
        return t;
    });
    private volatile int tid;

    /** Starts the thread; create this before the drop, while the process is still root. */
    public PrivilegedExecutor() {
        thread.submit(() -> { });
    }

    /** Runs {@code task} on the privileged thread and waits for it; its exception is rethrown as is. */
    public <T> T call(Callable<T> task) throws Exception {
        Future<T> result = thread.submit(task);
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (InterruptedException e) {
            result.cancel(false);
            throw e;
        }
    }

    /** Runs {@code task} on the privileged thread, later; a failure is kept in the task, never kills the thread. */
    @Override
    public void execute(Runnable task) {
        thread.submit(task);
    }

    /** The Linux thread id of the privileged thread, as in {@code /proc/self/task/TID}. */
    public int tid() throws Exception {
        if (tid == 0) {
            tid = call(Libc.C::gettid);
        }
        return tid;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
