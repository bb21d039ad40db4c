/**
 * Polls `probe` every `intervalMs` until it returns a truthy value, which is returned; fails naming `what` after
 * `timeoutMs`. For conditions a real server reaches on its own (an object written, a health status turned).
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
