package io.plsim.core.control;

/**
 * Learns of every change of a {@link ControlPlane}, synchronously: the call that made the change
 * does not return before every listener has seen it. A data plane can therefore gate admission on
 * endpoint states without polling, and no connection is admitted after a reject has returned.
 *
 * <p>Listeners run while the control plane holds its lock: they must be quick and must not call
 * back into the control plane to change it.
 */
@FunctionalInterface
public interface ControlPlaneListener {
    void onEvent(ControlEvent event);
}
