// A counting semaphore: at most `width` of the wrapped tasks run at once, the rest wait in order.

export function createLimiter(width: number): <T>(task: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, Math.floor(width));
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
