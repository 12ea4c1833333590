package io.plsim.app.api;

import java.util.regex.Pattern;

/**
 * The names users give faults, and Toxiproxy's toxics (a toxic's fault is named {@code <proxy>/<toxic>}):
 * {@value #RULE}, so that a name is one segment of an API path, one word on a command line and one
 * token of the event log, never a control character or a blank.
 */
public final class FaultName {

    /** What a name may be, as every refusal says it. */
    public static final String RULE = "1 to 64 letters, digits, '.', '_' or '-'";

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    // A fault is found by ID or name: a name shaped like an ID would hide one.
    private static final Pattern LIKE_AN_ID = Pattern.compile("fault-\\d+");

    private FaultName() {
    }

    /** Whether {@code name} keeps {@link #RULE}: what a toxic's name must be. */
    public static boolean isWord(String name) {
        return name != null && WORD.matcher(name).matches();
    }

    /** Whether {@code name} may name a fault: it keeps {@link #RULE} and is not shaped like an ID ({@code fault-N}). */
    public static boolean isFaultName(String name) {
        return isWord(name) && !LIKE_AN_ID.matcher(name).matches();
    }
}
