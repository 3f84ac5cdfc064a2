/** The "InitLint" log channel; under CI every line is mirrored to the console, where test logs can see it. */
import * as vscode from 'vscode';

export interface Logger {
  readonly channel: vscode.LogOutputChannel;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export function createLogger(name: string, mirrorToConsole = Boolean(process.env.CI || process.env.INITLINT_LOG_TO_CONSOLE)): Logger {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  const mirror = (level: string, message: string) => {
    if (mirrorToConsole) console.log(`[${name}] ${level} ${message}`);
  };
  return {
    channel,
    info(message) {
      channel.info(message);
      mirror('info', message);
    },
    warn(message) {
      channel.warn(message);
      mirror('warn', message);
    },
    error(message, error) {
      const detail = error instanceof Error ? `${message}: ${error.stack ?? error.message}` : error === undefined ? message : `${message}: ${String(error)}`;
      channel.error(detail);
      mirror('error', detail);
    },
  };
}
