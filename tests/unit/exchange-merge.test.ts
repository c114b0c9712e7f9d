import { describe, expect, it } from 'vitest';
import { compareField, compareRecord } from '../../main/exchange/merge';

describe('three-way comparison on re-import', () => {
  it.each([
    ['the file agrees with the app', '+79131234567', '+79131234567', undefined, 'same'],
    ['an empty cell never erases', '+79131234567', '', '+79131234567', 'keep'],
    ['a gap in the app is filled', null, '+79131234567', undefined, 'update'],
    ['only the file changed since the last import', '+79130000000', '+79131234567', '+79130000000', 'update'],
    ['only the app changed: the hand edit survives', '+79135555555', '+79130000000', '+79130000000', 'keep'],
    ['both changed', '+79135555555', '+79131234567', '+79130000000', 'conflict'],
    ['the app had its own value before any import', '+79135555555', '+79131234567', undefined, 'conflict'],
  ] as const)('%s', (_name, inApp, inFile, baseline, outcome) => {
    expect(compareField(inApp, inFile, baseline)).toBe(outcome);
  });

  it('collects the updates and the conflicts of a record; a re-import of the same file is unchanged', () => {
    const app = { phone: '+79135555555', email: 'old@example.ru', liveAddress: null };
    const file = { phone: '+79131234567', email: 'new@example.ru', liveAddress: 'ул. Мира, 1' };
    const base = { phone: '+79130000000', email: 'old@example.ru' };
    const first = compareRecord(app, file, base);
    expect(first.updates).toEqual({ email: 'new@example.ru', liveAddress: 'ул. Мира, 1' });
    expect(first.conflicts).toEqual([{ field: 'phone', inApp: '+79135555555', inFile: '+79131234567' }]);
    expect(first.unchanged).toBe(false);
    const again = compareRecord({ ...app, ...first.updates }, file, { ...base, ...first.updates });
    expect(again.updates).toEqual({});
    expect(again.conflicts).toHaveLength(1);
    const decided = compareRecord({ ...app, ...first.updates, phone: '+79131234567' }, file, { ...file });
    expect(decided.unchanged).toBe(true);
  });
});
