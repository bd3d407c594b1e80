/**
 * {@code jsora serve}: a local web page (HTML, CSS and JS served from the jar) on the JDK's HTTP server, queueing
 * generations one at a time and pushing their progress as server-sent events.
 */
package jsora.cli.serve;
