/**
 * {@code plsim load}: an open-loop, closed-loop, churn and bulk TCP load generator with latency
 * histograms, and its reports (terminal, JSON, HTML). The entry point is
 * {@link io.plsim.app.load.LoadGenerator}, run from a {@link io.plsim.app.load.LoadSpec}.
 */
package io.plsim.app.load;
