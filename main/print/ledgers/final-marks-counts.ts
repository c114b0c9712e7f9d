import type { FinalMarksTable, LedgerFinalMarksTable, SubjectMarkCounts } from '../../../templates/journal/types';

/**
 * The ledger's counts under a final-marks table. Per subject: how many «5», «4», «3», «2» and
 * «н/а»; quality = «4» and «5» among the numeric marks and «н/а», success = all but «2» and
 * «н/а» among them («зач» and «осв» are not counted). Per class: of the pupils with any mark in
 * the table, the share with no «3», «2», «н/а» (quality) and with no «2», «н/а» (success).
 */

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : (part * 100) / whole;
}

export function subjectCounts(values: readonly string[]): SubjectMarkCounts {
  const c = { five: 0, four: 0, three: 0, two: 0, notCertified: 0 };
  for (const v of values) {
    if (v === '5') c.five += 1;
    else if (v === '4') c.four += 1;
    else if (v === '3') c.three += 1;
    else if (v === '2') c.two += 1;
    else if (v === 'н/а') c.notCertified += 1;
  }
  const counted = c.five + c.four + c.three + c.two + c.notCertified;
  return { ...c, quality: share(c.five + c.four, counted), success: share(c.five + c.four + c.three, counted) };
}

export function withCounts(table: FinalMarksTable): LedgerFinalMarksTable {
  const counts = table.subjects.map((_, col) => subjectCounts(table.values.map((row) => row[col] ?? '')));
  let pupilsWithMarks = 0;
  let good = 0;
  let passing = 0;
  for (const row of table.values) {
    const marks = row.filter((v) => v !== '');
    if (marks.length === 0) continue;
    pupilsWithMarks += 1;
    const failed = marks.some((v) => v === '2' || v === 'н/а');
    if (!failed) passing += 1;
    if (!failed && !marks.includes('3')) good += 1;
  }
  return { ...table, counts, pupilsWithMarks, classQuality: share(good, pupilsWithMarks), classSuccess: share(passing, pupilsWithMarks) };
}
