package io.datafabric.launcher.demo;

import java.util.concurrent.TimeUnit;

/** One result the demo waits for: a named probe that answers null when the result is right. */
final class DemoCheck {
    /** Looks at the result once; null when it is right, otherwise what is wrong. */
    @FunctionalInterface
    interface Probe {
        String look() throws Exception;
    }

    private static final long POLL_MILLIS = 1_000;

    private final String name;
    private final Probe probe;

    DemoCheck(String name, Probe probe) {
        this.name = name;
        this.probe = probe;
    }

    String name() {
        return name;
    }

    /** Polls until the probe is satisfied or the deadline ({@link System#nanoTime()}) passes. */
    String await(long deadlineNanos) throws InterruptedException {
        String last = "not looked at";
        while (true) {
            try {
                last = probe.look();
            } catch (Exception e) {
                last = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (last == null || System.nanoTime() > deadlineNanos) {
                return last;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }
}
