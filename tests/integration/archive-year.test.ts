import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftsFolder, resolveStored, volumeRelativeName } from '../../main/archive/folders';
import { loadVolumeSource } from '../../main/print/volume-sources';
import { openInitializedApp, type TestApp } from '../support/app';

/**
 * «Печать года» through the API on a small school: two classes with lessons (September only,
 * to keep Chromium time small) and the whole-school movement ledger. A failing document goes to
 * `failed` and the run goes on; a run cancelled in the middle resumes without redoing the
 * volumes it finished; a run left «running» by a crash is taken over.
 */

type AdminApp = TestApp & { adminSession: string };

let t: AdminApp;
let yearId: number;
let mirror: string;
const classes: { id: number; label: string }[] = [];

async function volumes() {
  return t.app.db.selectFrom('archive_volume').select(['id', 'kind', 'class_id', 'archive_no', 'sealed_at', 'batch_id', 'status']).orderBy('id').execute();
}

async function batch(id: number) {
  return t.app.db.selectFrom('archive_batch').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await openInitializedApp();
  mirror = mkdtempSync(join(tmpdir(), 'school-office-mirror-'));
  await t.call('settings.update', { archiveMirrorDir: mirror }, t.adminSession);
  await t.call('demo.generate', { pupils: 30, seed: 5, year: '2025/2026' }, t.adminSession);
  const year = await t.app.db.selectFrom('school_year').select('id').executeTakeFirstOrThrow();
  yearId = year.id;
  // Only 5-th and 6-th form keep their lessons, and only September's: the journals stay short.
  const kept = await t.app.db.selectFrom('school_class').select(['id', 'parallel', 'letter']).where('parallel', 'in', [5, 6]).orderBy('parallel').orderBy('letter').execute();
  classes.push(...kept.map((c) => ({ id: c.id, label: `${c.parallel}${c.letter}` })));
  await t.app.db
    .deleteFrom('lesson')
    .where((eb) =>
      eb.or([
        eb('lesson_date', '>', '2025-09-30'),
        eb(
          'class_id',
          'not in',
          kept.map((c) => c.id),
        ),
      ]),
    )
    .execute();
}, 60_000);

afterAll(async () => {
  await t.close();
  rmSync(mirror, { recursive: true, force: true });
});

describe('archive.sealYear', () => {
  it('prints the journals of the classes with lessons in class order; a failing one is listed with its reason and the run goes on', async () => {
    expect(classes.map((c) => c.label)).toEqual(['5А', '6А']);
    // The first journal's second copy cannot be written: a folder stands where its file goes.
    const first = classes[0]!;
    const source = await loadVolumeSource(t.app.db, { kind: 'class_journal', classId: first.id }, '2026-06-20');
    const blocked = resolveStored(mirror, volumeRelativeName({ yearName: '2025/2026', archiveNo: '2026-001', version: 1, title: source.title }));
    mkdirSync(blocked, { recursive: true });
    writeFileSync(join(blocked, 'x'), 'x');

    const result = await t.call('archive.sealYear', { yearId, kinds: ['class_journal'] }, t.adminSession);
    expect(result.total).toBe(2);
    expect(result.alreadyDone).toBe(0);
    expect(result.failed).toEqual([{ title: 'Классный журнал 5А класса', error: expect.stringContaining('Вторая копия архива не записана') as string }]);
    expect(result.sealed.map((r) => [r.kind, r.classLabel])).toEqual([['class_journal', '6А']]);
    expect((await batch(result.batchId)).status).toBe('finished');
    const rows = await volumes();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.batch_id).toBe(result.batchId);
    expect(readdirSync(draftsFolder(t.dbPath))).toEqual([]);
    rmSync(blocked, { recursive: true, force: true });
  }, 120_000);

  it('stops when cancelled in the middle and the next run finishes the rest without redoing anything', async () => {
    const before = await volumes();
    const jobId = 'year-cancel-test';
    const stages: { done: number; stage: string }[] = [];
    const stop = t.app.events.subscribe((event, payload) => {
      if (event !== 'job.progress' || payload.jobId !== jobId) return;
      stages.push({ done: payload.done, stage: payload.stage });
      // The first word about a volume after the first one printed in this run: cancel.
      if (payload.done >= 1) t.app.jobs.cancel(jobId);
    });
    let error;
    try {
      error = await t.refuse('archive.sealYear', { yearId, kinds: ['class_journal', 'movement_ledger'], jobId }, t.adminSession);
    } finally {
      stop();
    }
    expect(error.code).toBe('cancelled');
    expect(error.message).toContain('Сдано в архив дел: 1');
    // 5А printed (index 0), 6А skipped as done before, the ledger (index 2) cancelled at its start.
    expect(stages[0]).toMatchObject({ done: 0, stage: 'Классный журнал 5А класса' });
    expect(stages.some((s) => s.done === 2 && s.stage.startsWith('Сводная ведомость движения'))).toBe(true);
    const afterCancel = await volumes();
    expect(afterCancel).toHaveLength(before.length + 1);
    const interrupted = afterCancel.at(-1)!;
    expect(interrupted).toMatchObject({ kind: 'class_journal', class_id: classes[0]!.id, status: 'sealed' });
    expect((await batch(interrupted.batch_id!)).status).toBe('interrupted');
    expect(readdirSync(draftsFolder(t.dbPath))).toEqual([]);

    const resumed = await t.call('archive.sealYear', { yearId, kinds: ['class_journal', 'movement_ledger'] }, t.adminSession);
    expect(resumed.total).toBe(3);
    expect(resumed.alreadyDone).toBe(2);
    expect(resumed.failed).toEqual([]);
    expect(resumed.sealed.map((r) => r.kind)).toEqual(['movement_ledger']);
    expect(resumed.sealed[0]?.classLabel).toBeNull();
    const afterResume = await volumes();
    // The volumes finished before are untouched: same ids, same sealing moments, still current.
    expect(afterResume.slice(0, afterCancel.length)).toEqual(afterCancel);
    expect(afterResume.at(-1)).toMatchObject({ kind: 'movement_ledger', batch_id: resumed.batchId, status: 'sealed' });
    expect((await batch(resumed.batchId)).status).toBe('finished');
    for (const row of resumed.sealed) expect(existsSync(resolveStored(mirror, row.fileName))).toBe(true);
  }, 120_000);

  it('takes over a run a crashed process left «running», and with everything sealed reports all as done', async () => {
    const crashed = await t.app.db
      .insertInto('archive_batch')
      .values({ year_id: yearId, kinds: '["class_journal"]', duplex: 0, started_at: '2026-06-20T08:00:00.000Z', started_by: null, status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const before = await volumes();
    const result = await t.call('archive.sealYear', { yearId, kinds: ['class_journal', 'movement_ledger'] }, t.adminSession);
    expect(result).toMatchObject({ batchId: crashed.id, total: 3, alreadyDone: 3, sealed: [], failed: [] });
    expect(await batch(crashed.id)).toMatchObject({ status: 'finished', kinds: '["class_journal","movement_ledger"]' });
    expect(await volumes()).toEqual(before);

    const audit = await t.app.db.selectFrom('audit_log').select(['action', 'entity_id', 'details_json']).where('entity', '=', 'archive_batch').execute();
    expect(audit.filter((a) => a.entity_id === String(crashed.id)).map((a) => a.action)).toEqual(['takeover', 'finished']);
  }, 60_000);

  it('refuses an unknown year', async () => {
    const error = await t.refuse('archive.sealYear', { yearId: 9999 }, t.adminSession);
    expect(error.code).toBe('not_found');
  });
});
