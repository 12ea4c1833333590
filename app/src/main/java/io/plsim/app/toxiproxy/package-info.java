/**
 * Toxiproxy's HTTP API over plsim's faults, for test suites and clients that already speak it. The
 * entry point is {@link io.plsim.app.toxiproxy.ToxiproxyRoutes}.
 */
package io.plsim.app.toxiproxy;
