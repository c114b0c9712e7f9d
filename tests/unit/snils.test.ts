import { describe, expect, it } from 'vitest';
import { formatSnils, isValidSnils, normalizeSnils, snilsChecksum } from '../../common/domain/snils';

describe('СНИЛС checksum', () => {
  it('accepts known valid numbers, with or without dashes and spaces', () => {
    // 1·9 + 1·8 + 2·7 + 2·6 + 3·5 + 3·4 + 4·3 + 4·2 + 5·1 = 95
    expect(snilsChecksum('112233445')).toBe('95');
    expect(isValidSnils('112-233-445 95')).toBe(true);
    expect(isValidSnils('11223344595')).toBe(true);
    expect(isValidSnils(' 112 233 445 95 ')).toBe(true);
    // sum 202 → 202 mod 101 = 0
    expect(isValidSnils('087-654-303 00')).toBe(true);
  });

  it('rejects a wrong checksum, wrong length and foreign characters', () => {
    expect(isValidSnils('112-233-445 96')).toBe(false);
    expect(isValidSnils('112-233-445 59')).toBe(false);
    expect(isValidSnils('1122334459')).toBe(false);
    expect(isValidSnils('112233445950')).toBe(false);
    expect(isValidSnils('112.233.445 95')).toBe(false);
    expect(isValidSnils('112-233-445 9a')).toBe(false);
    expect(isValidSnils('')).toBe(false);
  });

  it('uses the sum itself below 100 and pads it to two digits', () => {
    expect(snilsChecksum('022611436')).toBe('99'); // sum 99
    expect(snilsChecksum('100000000')).toBe('09'); // sum 9
    expect(isValidSnils('100-000-000 09')).toBe(true);
    expect(isValidSnils('100-000-000 9')).toBe(false);
  });

  it('gives 00 for a sum of 100 or 101', () => {
    expect(snilsChecksum('412402212')).toBe('00'); // sum 100
    expect(snilsChecksum('132109303')).toBe('00'); // sum 101
    expect(isValidSnils('412-402-212 00')).toBe(true);
    expect(isValidSnils('132-109-303 00')).toBe(true);
    expect(isValidSnils('412-402-212 01')).toBe(false);
  });

  it('takes a larger sum mod 101, and a remainder of 100 gives 00', () => {
    expect(snilsChecksum('404003713')).toBe('01'); // sum 102 → 1
    expect(snilsChecksum('406650108')).toBe('49'); // sum 150 → 49
    expect(snilsChecksum('944620062')).toBe('00'); // sum 201 → 100 → 00
    expect(isValidSnils('944-620-062 00')).toBe(true);
  });

  it('exempts numbers up to 001-001-998 from the check', () => {
    expect(isValidSnils('001-001-998 12')).toBe(true);
    expect(isValidSnils('000-000-001 77')).toBe(true);
    // the first number that is checked
    expect(isValidSnils('001-001-999 12')).toBe(false);
    expect(isValidSnils(`001-001-999 ${snilsChecksum('001001999')}`)).toBe(true);
  });

  it('refuses to compute a checksum of anything but nine digits', () => {
    expect(() => snilsChecksum('12345678')).toThrow();
    expect(() => snilsChecksum('12345678a')).toThrow();
  });
});

describe('СНИЛС formatting', () => {
  it('formats 11 digits as 123-456-789 01', () => {
    expect(formatSnils('12345678901')).toBe('123-456-789 01');
    expect(formatSnils('123-456-789 01')).toBe('123-456-789 01');
    expect(formatSnils('123 456 789 01')).toBe('123-456-789 01');
  });

  it('leaves text that is not a СНИЛС unchanged', () => {
    expect(formatSnils('1234')).toBe('1234');
    expect(formatSnils('нет')).toBe('нет');
  });

  it('normalizes to digits only', () => {
    expect(normalizeSnils('112-233-445 95')).toBe('11223344595');
    expect(normalizeSnils('112-233-445')).toBeNull();
  });
});
