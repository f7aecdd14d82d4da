package io.herdcat.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** When a test fails, prints the output of every node process it started, stopped or not. */
public final class DumpOutputOnFailure implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        for (NodeProcess node : NodeProcess.drainStarted()) {
            System.out.println("----- output of node " + node.label() + " (" + context.getDisplayName() + ") -----");
            System.out.println(node.output());
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        NodeProcess.drainStarted();
    }
}
