/**
 * Rotation policy (issue 8): which backups in a target folder are kept. Pure — the caller lists
 * the folder and deletes what is not in the returned set.
 *
 * Kept: the `keepLatest` newest backups, plus the newest backup of each calendar month for the
 * `keepMonthly` months up to `now` (the current month counts as the first). Months are UTC
 * months of `createdAt` (an ISO timestamp in UTC, as written in the backup header): the same
 * answer on every machine, whatever its time zone; at worst a copy made in the first hours of a
 * local month counts for the previous one.
 *
 * Never deleted, whatever the policy: backups dated after `now` (a clock set wrong on this or
 * another computer must not make the newest copies look like the oldest) and backups whose date
 * cannot be read (deleting is irreversible; a human can decide).
 */

export interface RotationPolicy {
  keepLatest: number;
  keepMonthly: number;
}

export interface RotationCandidate {
  name: string;
  createdAt: string;
}

function monthIndex(moment: Date): number {
  return moment.getUTCFullYear() * 12 + moment.getUTCMonth();
}

export function backupsToKeep(backups: readonly RotationCandidate[], policy: RotationPolicy, now: Date): Set<string> {
  const keep = new Set<string>();
  const nowMs = now.getTime();
  const dated: { name: string; at: number }[] = [];
  for (const backup of backups) {
    const at = Date.parse(backup.createdAt);
    if (!Number.isFinite(at) || at > nowMs) keep.add(backup.name);
    else dated.push({ name: backup.name, at });
  }
  // Newest first; equal times are ordered by name so the answer does not depend on input order.
  dated.sort((a, b) => b.at - a.at || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));

  const latest = Math.max(0, Math.floor(policy.keepLatest));
  for (const backup of dated.slice(0, latest)) keep.add(backup.name);

  const months = Math.max(0, Math.floor(policy.keepMonthly));
  if (months > 0) {
    const current = monthIndex(now);
    const oldest = current - months + 1;
    const seen = new Set<number>();
    for (const backup of dated) {
      const month = monthIndex(new Date(backup.at));
      if (month < oldest || month > current || seen.has(month)) continue;
      seen.add(month);
      keep.add(backup.name);
    }
  }
  return keep;
}
