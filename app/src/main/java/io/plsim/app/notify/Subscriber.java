package io.plsim.app.notify;

/**
 * Where the notifications of a topic go. Each gets every envelope of its topic once, in order.
 */
interface Subscriber extends AutoCloseable {

    /** Takes an envelope; never blocks. A subscriber whose queue is full drops it, counts and logs it. */
    void offer(Envelope envelope);

    /** A short description for logs and metrics, e.g. {@code http http://127.0.0.1:9000/hook}. */
    String describe();

    long delivered();

    long dropped();

    long failedAttempts();

    @Override
    void close();
}
