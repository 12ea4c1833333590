/**
 * Self-contained HTML reports: one page, inline CSS and SVG, nothing fetched. The entry point is
 * {@link io.plsim.app.report.HtmlPage}, shared by {@code plsim load}, {@code plsim load compare}
 * and {@code plsim scenario}.
 */
package io.plsim.app.report;
