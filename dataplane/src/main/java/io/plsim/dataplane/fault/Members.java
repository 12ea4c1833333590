package io.plsim.dataplane.fault;

import java.util.Arrays;

/**
 * The faults one stage of a connection acts for, in the order they reached it, and whether what
 * they come to together must be worked out again: after one joined, or after any fault of their
 * table ended (an ended fault stops acting). A stage works it out on its first write after either,
 * once, rather than reading every fault on every write.
 */
final class Members {

    private FaultInForce[] faults;
    private int size;
    /** The table's count of ends when last worked out; -1 to work it out again at once. */
    private long endsSeen = -1;

    Members(FaultInForce first) {
        faults = new FaultInForce[] {first};
        size = 1;
    }

    void add(FaultInForce f) {
        if (size == faults.length) {
            faults = Arrays.copyOf(faults, size * 2);
        }
        faults[size++] = f;
        endsSeen = -1;
    }

    int size() {
        return size;
    }

    FaultInForce get(int i) {
        return faults[i];
    }

    /**
     * Whether a fault joined or one ended since this was last asked. The count of ends is read before
     * the caller reads the faults' {@code active}, so an end in between is seen at the next ask.
     */
    boolean changed() {
        long ends = faults[0].endsSoFar();
        if (ends == endsSeen) {
            return false;
        }
        endsSeen = ends;
        return true;
    }

    /** Whether any member is still in force: at once while the first one is. */
    boolean anyInForce() {
        for (int i = 0; i < size; i++) {
            if (faults[i].active()) {
                return true;
            }
        }
        return false;
    }

    /** The sum of a parameter over the members in force. */
    long sumInForce(String param) {
        long sum = 0;
        for (int i = 0; i < size; i++) {
            if (faults[i].active()) {
                sum += faults[i].param(param);
            }
        }
        return sum;
    }
}
