package io.plsim.core.api;

import io.plsim.core.control.ControlPlaneException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The answers to requests that carried a {@code ClientToken}, so that a retry gets the first answer
 * and a reuse with other parameters is refused, as EC2 makes creates idempotent. Bounded by count
 * ({@value #MAX_ENTRIES}) and by size ({@value #MAX_BYTES} bytes of answers): the oldest go first.
 * A request is remembered by a digest of its parameters, not the parameters themselves, so a large
 * request costs 32 bytes. Thread-safe.
 */
final class ClientTokens {

    static final int MAX_ENTRIES = 10_000;
    static final long MAX_BYTES = 16L << 20;
    /** EC2's limit on a client token: 64 ASCII characters. */
    static final int MAX_TOKEN_LENGTH = 64;

    private record Remembered(byte[] digest, String body) {
        long bytes() {
            return 2L * body.length() + 32 + 64;
        }
    }

    private final Map<String, Remembered> answers = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    /**
     * The answer for {@code token}: the remembered one when the same caller made the same request
     * with it, else what {@code run} answers now, remembered.
     *
     * @param key the caller and action the token is scoped to
     * @throws ControlPlaneException IdempotentParameterMismatch when the token came with other parameters
     */
    synchronized String answer(String key, String token, String canonicalParameters, Supplier<String> run) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new ControlPlaneException("InvalidParameterValue", "Value for parameter ClientToken is invalid: it"
                    + " is " + token.length() + " characters long; a client token has at most " + MAX_TOKEN_LENGTH);
        }
        String k = key + "|" + token;
        byte[] digest = digest(canonicalParameters);
        Remembered earlier = answers.get(k);
        if (earlier != null) {
            if (!Arrays.equals(earlier.digest(), digest)) {
                throw new ControlPlaneException("IdempotentParameterMismatch", "The client token '" + token
                        + "' was already used with other parameters");
            }
            return earlier.body();
        }
        String body = run.get();
        Remembered r = new Remembered(digest, body);
        answers.put(k, r);
        bytes += r.bytes();
        Iterator<Remembered> oldest = answers.values().iterator();
        while ((answers.size() > MAX_ENTRIES || bytes > MAX_BYTES) && oldest.hasNext()) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
        return body;
    }

    synchronized int size() {
        return answers.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
