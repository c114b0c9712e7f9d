import { readdirSync, readFileSync } from 'node:fs';

/**
 * Memory of this process and all its descendants (Chromium's browser, renderer and GPU
 * processes included), from /proc: `/usr/bin/time` sees only the Node process. Proportional set
 * size (Pss), so that pages shared between Chromium's processes are counted once. Linux only;
 * elsewhere the figures are 0.
 */

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return byParent;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and brackets: the fields after its closing bracket.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      const list = byParent.get(parent) ?? [];
      list.push(Number(entry));
      byParent.set(parent, list);
    } catch {
      // the process ended meanwhile
    }
  }
  return byParent;
}

function pssKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+)\s+kB/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Pss of the process tree rooted at `root` (this process by default), in MiB, and how many processes. */
export function treeMemory(root: number = process.pid): { mib: number; processes: number } {
  const byParent = children();
  let kib = 0;
  let processes = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    kib += pssKiB(pid);
    processes += 1;
    stack.push(...(byParent.get(pid) ?? []));
  }
  return { mib: Math.round(kib / 1024), processes };
}

/** Samples the tree every `everyMs` until stopped; returns the peak. */
export function watchPeakMemory(everyMs = 250): { stop(): { peakMiB: number; peakProcesses: number } } {
  let peakMiB = 0;
  let peakProcesses = 0;
  const sample = () => {
    const now = treeMemory();
    peakMiB = Math.max(peakMiB, now.mib);
    peakProcesses = Math.max(peakProcesses, now.processes);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakMiB, peakProcesses };
    },
  };
}
