/**
 * Bounds on what clients may hold of plsim's TCP servers: connections at once and the time a request
 * may take to arrive. The entry point is {@link io.plsim.app.limits.ConnectionLimits}.
 */
package io.plsim.app.limits;
