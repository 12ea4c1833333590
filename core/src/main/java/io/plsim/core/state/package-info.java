/**
 * State that survives a restart: {@link io.plsim.core.state.StateJournal}, the journal of the API changes a
 * running world took, replayed onto a fresh world of the same sim-config. Plain Java, no threads.
 */
package io.plsim.core.state;
