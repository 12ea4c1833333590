/**
 * The console: a self-contained web page that takes the user guide's console steps (services,
 * connections to accept or reject, principals, notifications, load balancers, the consumer's
 * endpoints) through the EC2 and ELBv2 Query API, and shows the data plane live. The entry point is
 * {@link io.plsim.app.console.ConsoleRoutes}; the page itself is {@code index.html},
 * {@code console.js} and {@code console.css} beside it in the jar.
 */
package io.plsim.app.console;
