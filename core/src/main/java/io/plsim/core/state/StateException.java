package io.plsim.core.state;

/** A state that cannot be used: damaged, written for another sim-config, or refused on replay. The message names the file. */
public final class StateException extends Exception {
    public StateException(String message) {
        super(message);
    }
}
