import { ageOn, ruDate, type Day } from './calendar';
import { SUBJECTS } from './curriculum';
import { SnilsPool, adultPassport, mobilePhone, personalEmail, pupilDocument, type IdentityDocument } from './documents';
import { patronymic, pickAdultName, pickChildName, pickSurname, surnameFor, type Gender } from './names';
import { cityAddress } from './places';
import type { Random } from './random';
import { birthWindow, type ClassPlan } from './school';

/**
 * Pupils and their families. Most pupils have a mother and often a father; about 15 % of pupils
 * have a brother or sister in the school (the same guardian rows); about 2 % of families are a
 * guardian (опекун for a child under 14, попечитель from 14) with the document of authority.
 */

export type Kinship = 'мать' | 'отец' | 'опекун' | 'попечитель';

export interface GuardianPlan {
  index: number;
  family: number;
  role: 'mother' | 'father' | 'guardian';
  lastName: string;
  firstName: string;
  middleName: string;
  gender: Gender;
  birth: Day;
  snils: string;
  doc: IdentityDocument;
  regAddress: string;
  liveAddress: string;
  phone: string | null;
  email: string | null;
  /** For a guardian who is not a parent: the act that appointed them. */
  authorityDoc: string | null;
}

export interface FamilyPlan {
  index: number;
  /** Male form of the family surname. */
  surname: string;
  fatherName: string;
  noPatronymic: boolean;
  liveAddress: string;
  regAddress: string;
  guardians: number[];
  children: number[];
  /** The family refused electronic results (gets printed extracts). */
  refusesElectronic: boolean;
}

export interface PupilPlan {
  index: number;
  lastName: string;
  firstName: string;
  middleName: string | null;
  gender: Gender;
  birth: Day;
  snils: string;
  doc: IdentityDocument;
  regAddress: string;
  liveAddress: string;
  phone: string | null;
  email: string | null;
  family: number;
  /** The class on the first day of the year, or the class a mid-year newcomer joins. */
  classIndex: number;
  parallel: number;
  /** Joins during the year (membership from the admission date). */
  midYear: boolean;
  /** Stable ability per subject (standard normal), indexed like SUBJECTS. */
  ability: Float32Array;
  /** Exempt from PE marks for health reasons (final mark «осв»). */
  peExempt: boolean;
}

export interface PeoplePlan {
  pupils: PupilPlan[];
  families: FamilyPlan[];
  guardians: GuardianPlan[];
}

interface Stub {
  index: number;
  classIndex: number;
  parallel: number;
  gender: Gender;
  midYear: boolean;
  family: number;
}

/** Share of families that get a second child in the school (gives ~15 % of pupils with siblings). */
const SIBLING_FAMILY_SHARE = 0.08;

function randomDay(rng: Random, from: Day, to: Day): Day {
  return rng.int(from, to);
}

export function planPeople(
  rng: Random,
  classes: readonly ClassPlan[],
  midYearClasses: readonly number[],
  firstYear: number,
  asOf: Day,
): PeoplePlan {
  const stubs: Stub[] = [];
  for (const cls of classes) {
    for (let i = 0; i < cls.startSize; i += 1) {
      stubs.push({ index: stubs.length, classIndex: cls.index, parallel: cls.parallel, gender: rng.chance(0.5) ? 'м' : 'ж', midYear: false, family: -1 });
    }
  }
  for (const classIndex of midYearClasses) {
    const cls = classes[classIndex] as ClassPlan;
    stubs.push({ index: stubs.length, classIndex, parallel: cls.parallel, gender: rng.chance(0.5) ? 'м' : 'ж', midYear: true, family: -1 });
  }

  // Families: walk the pupils in a shuffled order; some families take a sibling two or more
  // parallels away, or a twin from the same class.
  const familyChildren: number[][] = [];
  const queueByParallel = new Map<number, number[]>();
  const queueByClass = new Map<number, number[]>();
  const order = rng.shuffle(stubs.filter((s) => !s.midYear).map((s) => s.index));
  for (const i of order) {
    const s = stubs[i] as Stub;
    const byParallel = queueByParallel.get(s.parallel) ?? [];
    byParallel.push(i);
    queueByParallel.set(s.parallel, byParallel);
    const byClass = queueByClass.get(s.classIndex) ?? [];
    byClass.push(i);
    queueByClass.set(s.classIndex, byClass);
  }
  const takeFrom = (queue: number[] | undefined): number | null => {
    if (!queue) return null;
    while (queue.length > 0) {
      const i = queue.shift() as number;
      if ((stubs[i] as Stub).family < 0) return i;
    }
    return null;
  };
  for (const i of order) {
    const s = stubs[i] as Stub;
    if (s.family >= 0) continue;
    const family = familyChildren.length;
    s.family = family;
    const children = [i];
    familyChildren.push(children);
    if (!rng.chance(SIBLING_FAMILY_SHARE)) continue;
    const extra = rng.chance(0.12) ? 2 : 1;
    for (let k = 0; k < extra; k += 1) {
      let sibling: number | null = null;
      if (rng.chance(0.06)) {
        sibling = takeFrom(queueByClass.get(s.classIndex));
      } else {
        const options: number[] = [];
        for (let p = 1; p <= 11; p += 1) {
          if (children.every((c) => Math.abs((stubs[c] as Stub).parallel - p) >= 2)) options.push(p);
        }
        rng.shuffle(options);
        for (const p of options) {
          sibling = takeFrom(queueByParallel.get(p));
          if (sibling !== null) break;
        }
      }
      if (sibling === null) break;
      (stubs[sibling] as Stub).family = family;
      children.push(sibling);
    }
  }
  for (const s of stubs) {
    if (s.family >= 0) continue;
    s.family = familyChildren.length;
    familyChildren.push([s.index]);
  }

  const snilsPool = new SnilsPool();
  const pupils: PupilPlan[] = new Array<PupilPlan>(stubs.length);
  const families: FamilyPlan[] = [];
  const guardians: GuardianPlan[] = [];

  familyChildren.forEach((children, familyIndex) => {
    const surname = pickSurname(rng);
    const fatherName = pickAdultName(rng, 'м');
    const liveAddress = cityAddress(rng, rng.chance(0.88));
    const regAddress = rng.chance(0.88) ? liveAddress : cityAddress(rng, rng.chance(0.3));
    const family: FamilyPlan = {
      index: familyIndex,
      surname,
      fatherName,
      noPatronymic: rng.chance(0.005),
      liveAddress,
      regAddress,
      guardians: [],
      children,
      refusesElectronic: rng.chance(0.05),
    };
    families.push(family);

    // Children: twins (same class) share a birth date.
    const births = new Map<number, Day>();
    for (const c of children) {
      const s = stubs[c] as Stub;
      const [from, to] = birthWindow(firstYear, s.parallel);
      births.set(s.classIndex, births.get(s.classIndex) ?? randomDay(rng, from, to));
      const birth = births.get(s.classIndex) as Day;
      const firstName = pickChildName(rng, s.gender);
      const general = rng.normal();
      const ability = new Float32Array(SUBJECTS.length);
      for (let k = 0; k < ability.length; k += 1) ability[k] = 0.8 * general + 0.6 * rng.normal();
      const age = ageOn(birth, asOf);
      pupils[c] = {
        index: c,
        lastName: surnameFor(surname, s.gender),
        firstName,
        middleName: family.noPatronymic ? null : patronymic(fatherName, s.gender),
        gender: s.gender,
        birth,
        snils: snilsPool.next(rng),
        doc: pupilDocument(rng, birth, asOf),
        regAddress,
        liveAddress,
        phone: age >= 10 && rng.chance(0.7) ? mobilePhone(rng) : null,
        email: null,
        family: familyIndex,
        classIndex: s.classIndex,
        parallel: s.parallel,
        midYear: s.midYear,
        ability,
        peExempt: s.parallel >= 2 && rng.chance(0.012),
      };
      const pupil = pupils[c] as PupilPlan;
      if (age >= 12 && rng.chance(0.35)) pupil.email = personalEmail(rng, pupil.firstName, pupil.lastName, birth);
    }
    const oldest = Math.min(...children.map((c) => (pupils[c] as PupilPlan).birth));

    const addGuardian = (role: GuardianPlan['role'], gender: Gender, lastName: string, firstName: string, birth: Day, authorityDoc: string | null) => {
      const g: GuardianPlan = {
        index: guardians.length,
        family: familyIndex,
        role,
        lastName,
        firstName,
        middleName: patronymic(pickAdultName(rng, 'м'), gender),
        gender,
        birth,
        snils: snilsPool.next(rng),
        doc: adultPassport(rng, birth, asOf),
        regAddress: rng.chance(0.92) ? regAddress : cityAddress(rng, false),
        liveAddress,
        phone: rng.chance(role === 'father' ? 0.9 : 0.98) ? mobilePhone(rng) : null,
        email: null,
        authorityDoc,
      };
      if (rng.chance(0.65)) g.email = personalEmail(rng, firstName, lastName, rng.chance(0.3) ? birth : null);
      guardians.push(g);
      family.guardians.push(g.index);
    };

    const shape = rng.weighted<'both' | 'mother' | 'father' | 'guardian'>([
      ['both', 62],
      ['mother', 33],
      ['father', 3],
      ['guardian', 2],
    ]);
    if (shape === 'guardian') {
      const gender: Gender = rng.chance(0.85) ? 'ж' : 'м';
      const birth = oldest - addYearsDays(rng.int(42, 62)) - rng.int(0, 364);
      const lastName = rng.chance(0.6) ? surnameFor(surname, gender) : surnameFor(pickSurname(rng), gender);
      const actDay = oldest + rng.int(365, Math.max(366, asOf - oldest - 400));
      const doc =
        `Распоряжение администрации Советского района в городе Красноярске от ${ruDate(actDay)} № ${rng.int(100, 2999)}-р ` +
        '«Об установлении опеки (попечительства) над несовершеннолетним»';
      addGuardian('guardian', gender, lastName, pickAdultName(rng, gender), birth, doc);
    } else {
      const motherBirth = oldest - addYearsDays(rng.int(20, 38)) - rng.int(0, 364);
      if (shape === 'both' || shape === 'mother') {
        const lastName = rng.chance(0.9) ? surnameFor(surname, 'ж') : surnameFor(pickSurname(rng), 'ж');
        addGuardian('mother', 'ж', lastName, pickAdultName(rng, 'ж'), motherBirth, null);
      }
      if (shape === 'both' || shape === 'father') {
        const fatherBirth = motherBirth - rng.int(-700, 2600);
        addGuardian('father', 'м', surname, fatherName, fatherBirth, null);
      }
    }
  });

  return { pupils, families, guardians };
}

function addYearsDays(years: number): number {
  return Math.round(years * 365.25);
}

/** The kinship of a guardian to one pupil (опекун under 14, попечитель from 14 on `asOf`). */
export function kinshipOf(guardian: GuardianPlan, pupil: PupilPlan, asOf: Day): Kinship {
  if (guardian.role === 'mother') return 'мать';
  if (guardian.role === 'father') return 'отец';
  return ageOn(pupil.birth, asOf) >= 14 ? 'попечитель' : 'опекун';
}
