// Whether a process of this machine still runs: for files that carry their writer's pid
// (the audit lock, credential token files), so a crashed writer's leftovers can be told
// from a live one's.
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
