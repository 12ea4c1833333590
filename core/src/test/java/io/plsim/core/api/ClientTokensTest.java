package io.plsim.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.plsim.core.control.ControlPlaneException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The ClientToken answers: a retry gets the first answer, a reuse with other parameters is refused,
 * and the memory is bounded by size.
 */
class ClientTokensTest {

    @Test
    void aRetryGetsTheFirstAnswerAndAReuseWithOtherParametersIsRefused() {
        ClientTokens t = new ClientTokens();
        AtomicInteger runs = new AtomicInteger();
        assertEquals("first", t.answer("444455556666|CreateVpcEndpoint", "tok", "a=1", () -> {
            runs.incrementAndGet();
            return "first";
        }));
        assertEquals("first", t.answer("444455556666|CreateVpcEndpoint", "tok", "a=1", () -> "second"));
        assertEquals(1, runs.get(), "the action ran once");
        ControlPlaneException e = assertThrows(ControlPlaneException.class,
                () -> t.answer("444455556666|CreateVpcEndpoint", "tok", "a=2", () -> "third"));
        assertEquals("IdempotentParameterMismatch", e.code());
        assertEquals("other", t.answer("111122223333|CreateVpcEndpoint", "tok", "a=2", () -> "other"),
                "a token is the caller's own");
    }

    @Test
    void aTokenLongerThanEc2AllowsIsRefused() {
        ControlPlaneException e = assertThrows(ControlPlaneException.class,
                () -> new ClientTokens().answer("k", "x".repeat(65), "a=1", () -> "body"));
        assertEquals("InvalidParameterValue", e.code());
        assertTrue(e.getMessage().contains("at most 64"), e.getMessage());
    }

    @Test
    void largeAnswersAreForgottenOldestFirstOnceTheSizeBoundIsReached() {
        ClientTokens t = new ClientTokens();
        String big = "x".repeat(512 * 1024); // 1 MiB as Java holds it
        for (int i = 0; i < 100; i++) {
            t.answer("k", "t" + i, "a=" + i, () -> big);
        }
        assertTrue(t.bytes() <= ClientTokens.MAX_BYTES, t.bytes() + " bytes kept");
        assertTrue(t.size() < 100 && t.size() >= 15, t.size() + " answers kept");
        // The newest is kept, the oldest forgotten (its token answers afresh).
        assertEquals(big, t.answer("k", "t99", "a=99", () -> "fresh"));
        assertEquals("fresh", t.answer("k", "t0", "a=0", () -> "fresh"));
        // A request's parameters are kept as a digest: a 1 MiB request costs no more than a small one.
        ClientTokens small = new ClientTokens();
        small.answer("k", "t", "p=" + "y".repeat(1 << 20), () -> "ok");
        assertTrue(small.bytes() < 1024, small.bytes() + " bytes for a 1 MiB request with a short answer");
    }
}
