package io.plsim.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out 127.N.0.0/16 blocks, N from {@value #FIRST} to {@value #LAST}, so that worlds started
 * side by side never share an address: within a JVM by a set of the blocks in use, across JVMs on
 * one machine by an exclusive lock on a file per block in the temporary directory, held while the
 * world runs and released by the operating system if the JVM dies.
 */
final class LoopbackBlocks {

    static final int FIRST = 200;
    static final int LAST = 254;

    private static final Set<Integer> IN_USE = ConcurrentHashMap.newKeySet();

    private LoopbackBlocks() {
    }

    /** Blocks held for one world: which of the file's blocks moves where. */
    static final class Lease implements AutoCloseable {
        private final Map<Integer, Integer> moved;
        private final List<FileChannel> channels;

        private Lease(Map<Integer, Integer> moved, List<FileChannel> channels) {
            this.moved = moved;
            this.channels = channels;
        }

        Map<Integer, Integer> moved() {
            return moved;
        }

        @Override
        public void close() {
            for (FileChannel c : channels) {
                try {
                    c.close(); // releases its lock
                } catch (IOException e) {
                    // nothing more to release
                }
            }
            IN_USE.removeAll(moved.values());
        }
    }

    /**
     * Takes a free block for each of {@code blocks} (the file's own second octets).
     *
     * @throws IllegalStateException when too few blocks are free on this machine
     */
    static Lease lease(Set<Integer> blocks) {
        Map<Integer, Integer> moved = new LinkedHashMap<>();
        List<FileChannel> channels = new ArrayList<>();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "plsim-blocks");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + " to coordinate loopback blocks: " + e.getMessage());
        }
        for (int from : blocks) {
            int to = take(dir, channels);
            if (to < 0) {
                new Lease(moved, channels).close();
                throw new IllegalStateException("no free loopback block: 127." + FIRST + ".0.0/16 to 127." + LAST
                        + ".0.0/16 are all held by worlds running on this machine (close some)");
            }
            moved.put(from, to);
        }
        return new Lease(moved, channels);
    }

    private static int take(Path dir, List<FileChannel> channels) {
        for (int n = FIRST; n <= LAST; n++) {
            if (!IN_USE.add(n)) {
                continue;
            }
            try {
                FileChannel c = FileChannel.open(dir.resolve("127." + n + ".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = c.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    channels.add(c);
                    return n;
                }
                c.close();
            } catch (IOException e) {
                // this block's file cannot be used: try the next
            }
            IN_USE.remove(n);
        }
        return -1;
    }
}
