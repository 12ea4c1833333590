/**
 * Connection notifications as SNS delivers them: the control plane's events, matched to each
 * notification's topic and event types, queued per subscriber (memory, file, HTTP) with retries.
 * The entry point is {@link io.plsim.app.notify.NotificationHub}.
 */
package io.plsim.app.notify;
