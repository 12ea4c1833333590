/**
 * Targets plsim runs itself, so a world needs no service of the user's: {@code echo}, and
 * {@code pp2-inspect}, which parses the Proxy Protocol header it receives and answers with what it
 * saw. The entry point is {@link io.plsim.dataplane.builtin.BuiltinTargetServer}.
 */
package io.plsim.dataplane.builtin;
