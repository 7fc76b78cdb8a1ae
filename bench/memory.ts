import * as fs from 'fs';
import * as v8 from 'v8';

/** Peak memory of one measured section. */
export interface MemoryPeak {
  /**
   * Largest V8 used-heap size seen (before any GC during the section, or at its end) above the used heap at the
   * start (MiB): what the section needs on top of what was live before it.
   */
  readonly heapUsedMiB: number;
  /** Peak resident set size during the section (MiB); the process-lifetime peak where Linux can't reset it. */
  readonly rssMiB: number;
}

const MIB = 1024 * 1024;

/** Resets the kernel's peak-RSS counter (VmHWM) of this process; false where that is not possible. */
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssBytes(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Runs `fn` and records its peak heap (with V8's GC profiler: the heap only grows between collections, so the
 * peak is the largest size before a collection or at the end) and its peak RSS.
 */
export function withMemoryPeak<T>(fn: () => T): { result: T; peak: MemoryPeak } {
  resetPeakRss();
  const startHeap = process.memoryUsage().heapUsed;
  const profiler = new v8.GCProfiler();
  profiler.start();
  const result = fn();
  const endHeap = process.memoryUsage().heapUsed;
  const data = profiler.stop() as { statistics: Array<{ beforeGC: { heapStatistics: { usedHeapSize: number } } }> };
  const beforeGc = data.statistics.map(s => s.beforeGC.heapStatistics.usedHeapSize);
  const heapUsed = Math.max(endHeap, ...beforeGc);
  return { result, peak: { heapUsedMiB: (heapUsed - startHeap) / MIB, rssMiB: peakRssBytes() / MIB } };
}
