/**
 * The {@code jsora} command: the launcher that adds the Vector API module and forwards signals, and the commands
 * ({@code generate}, {@code demo}, {@code inspect}, {@code convert}, {@code fake-checkpoints}, {@code bench}).
 */
package jsora.cli;
