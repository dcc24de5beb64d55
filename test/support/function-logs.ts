import { vi } from 'vitest';

/**
 * Captures what a handler writes to stdout and stderr while `run` runs: Powertools
 * writes errors to stderr and the rest to stdout, and Lambda sends both to the
 * function's log group. Returns the raw text and the JSON log entries in it.
 */
export async function captureFunctionLogs<T>(
  run: () => Promise<T>,
): Promise<{ result: T; text: string; entries: Record<string, unknown>[] }> {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    const result = await run();
    const text = chunks.join('');
    const entries = text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, text, entries };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
