// Terminal detection: a stream is interactive when it is a TTY and TERM is not "dumb".

export function isInteractive(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}
