// Timer functions as a port, so tests can run time themselves. The system ones are unref'd:
// a pending expiry check never keeps a process alive.
export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

function unref(handle: unknown): unknown {
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

export const systemTimers: TimerFunctions = {
  setTimeout: (callback, ms) => unref(setTimeout(callback, ms)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (callback, ms) => unref(setInterval(callback, ms)),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};
