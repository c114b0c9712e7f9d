import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Typed tables of the register. Dates are ISO text ('YYYY-MM-DD'), moments are ISO text in UTC,
 * booleans are 0/1 integers (the tables are STRICT). Ids of external systems are kept as text.
 */
type Id = Generated<number>;
type CreatedAt = ColumnType<string, string | undefined, never>;
type Bool = number;

export interface SchoolTable {
  id: ColumnType<number, number, never>;
  name: string;
  short_name: Generated<string>;
  address: Generated<string>;
  director_name: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  inn: Generated<string>;
  updated_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface AppUserTable {
  id: Id;
  login: string;
  full_name: string;
  role: 'secretary' | 'admin' | 'archivist' | 'director';
  password_hash: string;
  failed_attempts: Generated<number>;
  locked: Generated<Bool>;
  locked_at: string | null;
  last_login_at: string | null;
  created_at: CreatedAt;
  /** Since when the account's credentials are known to others (ISO date-time), or null. */
  disclosed_since: string | null;
}

export interface AuditLogTable {
  id: Id;
  at: string;
  user_id: number | null;
  user_login: string | null;
  method: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  details_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface SchoolYearTable {
  id: Id;
  name: string;
  starts_on: string;
  ends_on: string;
  closed: Generated<Bool>;
  closed_at: string | null;
}

export interface PeriodTable {
  id: Id;
  year_id: number;
  scheme: 'quarters' | 'halves' | 'trimesters';
  number: number;
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface HolidayTable {
  id: Id;
  year_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
}

export interface StaffTable {
  id: Id;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  position: string;
  phone: string | null;
  email: string | null;
  active: Generated<Bool>;
}

export interface ClassTable {
  id: Id;
  year_id: number;
  parallel: number;
  letter: string;
  period_scheme: 'quarters' | 'halves' | 'trimesters';
  class_teacher_id: number | null;
}

export interface SubjectTable {
  id: Id;
  name: string;
  short_name: string;
  part: 'federal' | 'school';
  sort_order: number;
}

export interface CurriculumTable {
  id: Id;
  class_id: number;
  subject_id: number;
  hours_per_week: number;
  teacher_id: number | null;
}

export interface StudyGroupTable {
  id: Id;
  class_id: number;
  subject_id: number;
  name: string;
  teacher_id: number | null;
}

export interface GroupMemberTable {
  group_id: number;
  pupil_id: number;
}

export interface PupilTable {
  id: Id;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string;
  gender: 'м' | 'ж';
  snils: string | null;
  doc_kind: 'birth_certificate' | 'passport' | 'foreign' | null;
  doc_series: string | null;
  doc_number: string | null;
  doc_issued_by: string | null;
  doc_issued_on: string | null;
  reg_address: string | null;
  live_address: string | null;
  phone: string | null;
  email: string | null;
  alphabet_letter: string | null;
  alphabet_number: number | null;
  created_at: CreatedAt;
  updated_at: string;
  /** When the personal fields were destroyed after a withdrawn consent; null while they are held. */
  data_destroyed_at: string | null;
}

export interface AlphabetCounterTable {
  letter: string;
  last_number: number;
}

export interface GuardianTable {
  id: Id;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  birth_date: string | null;
  snils: string | null;
  doc_kind: 'passport' | 'foreign' | null;
  doc_series: string | null;
  doc_number: string | null;
  doc_issued_by: string | null;
  doc_issued_on: string | null;
  reg_address: string | null;
  live_address: string | null;
  phone: string | null;
  email: string | null;
  created_at: CreatedAt;
  updated_at: string;
  data_destroyed_at: string | null;
}

export interface PupilGuardianTable {
  pupil_id: number;
  guardian_id: number;
  kinship: 'мать' | 'отец' | 'опекун' | 'попечитель' | 'иное';
  authority_doc: string | null;
}

export type OrderKind =
  | 'admission'
  | 'class_transfer'
  | 'expulsion'
  | 'promotion'
  | 'conditional_promotion'
  | 'repeat'
  | 'graduation';

export interface PupilOrderTable {
  id: Id;
  /** School year the numbering belongs to, e.g. '2025/2026' (orders may predate the app's years). */
  year_label: string;
  seq: number;
  number: string;
  order_date: string;
  kind: OrderKind;
  title: string;
  body: string;
  signed_by: string | null;
  created_at: CreatedAt;
}

export type MovementKind =
  | 'admission'
  | 'class_transfer'
  | 'leave'
  | 'promotion'
  | 'conditional_promotion'
  | 'repeat'
  | 'graduation'
  | 'cancellation';

export interface MovementEventTable {
  id: Id;
  pupil_id: number;
  order_id: number | null;
  kind: MovementKind;
  event_date: string;
  from_class_id: number | null;
  to_class_id: number | null;
  reason: string | null;
  place: string | null;
  cancels_event_id: number | null;
  note: string | null;
  created_at: CreatedAt;
  created_by: number | null;
}

export interface ClassMembershipTable {
  id: Id;
  pupil_id: number;
  class_id: number;
  from_date: string;
  /** Last day in the class; null while the pupil is still in it. */
  to_date: string | null;
  start_event_id: number | null;
  end_event_id: number | null;
}

export interface ConsentTemplateTable {
  id: Id;
  purpose: 'pupil_data' | 'guardian_data' | 'distribution' | 'electronic_results';
  version: number;
  title: string;
  /** Legacy free text; structured templates keep it empty and use the parts below. */
  body: string;
  purpose_text: Generated<string>;
  data_list: Generated<string>;
  actions_text: Generated<string>;
  term_text: Generated<string>;
  processor_text: string | null;
  /** Distribution consent (ст. 10.1): the categories offered one by one, JSON array of strings. */
  categories_json: string | null;
  created_at: CreatedAt;
  created_by: number | null;
}

export interface ConsentTable {
  id: Id;
  subject_kind: 'pupil' | 'guardian';
  pupil_id: number | null;
  guardian_id: number | null;
  purpose: 'pupil_data' | 'guardian_data' | 'distribution' | 'electronic_results';
  status: 'given' | 'refused' | 'withdrawn';
  decided_on: string;
  template_id: number | null;
  signed_by_guardian_id: number | null;
  signed_by_pupil: Generated<Bool>;
  categories_json: string | null;
  scan: Uint8Array | null;
  scan_mime: string | null;
  created_at: CreatedAt;
  /** For a withdrawal of a processing consent: the last day to destroy the data (ст. 21 ч. 5). */
  destroy_due: string | null;
  destruction_act_id: number | null;
  scan_name: string | null;
  note: string | null;
  recorded_by: number | null;
}

export interface DestructionActTable {
  id: Id;
  number: string;
  act_date: string;
  subject_kind: 'pupil' | 'guardian';
  pupil_id: number | null;
  guardian_id: number | null;
  subject_label: string;
  categories: string;
  reason: string;
  method: string;
  information_system: string;
  commission_json: string | null;
  /** The export of the event log for the person, kept with the act. */
  log_export_json: string;
  log_export_sha256: string;
  keep_until: string;
  created_at: CreatedAt;
  created_by: number | null;
}

/** A payload of an audit entry whose destroyed values were erased: the chain keeps its original digest. */
export interface AuditErasureTable {
  entry_id: number;
  field: 'before_json' | 'after_json' | 'details_json';
  original_sha256: string;
  act_id: number;
}

export interface AccessCodeTable {
  id: Id;
  holder_kind: 'pupil' | 'guardian';
  pupil_id: number;
  guardian_id: number | null;
  /** The code itself: a secret, never listed nor logged. */
  code_secret: string;
  valid_until: string | null;
  status: 'new' | 'issued' | 'revoked' | 'disclosed';
  imported_at: string;
  issued_at: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  disclosed_at: string | null;
}

export interface LessonTable {
  id: Id;
  class_id: number;
  group_id: number | null;
  subject_id: number;
  lesson_date: string;
  lesson_number: number | null;
  topic: string;
  homework: string | null;
  teacher_id: number | null;
  substitute_teacher_id: number | null;
  external_id: string | null;
}

export interface MarkTable {
  id: Id;
  lesson_id: number;
  pupil_id: number;
  value: string;
  weight: Generated<number>;
}

export interface AttendanceTable {
  id: Id;
  lesson_id: number;
  pupil_id: number;
  code: 'Н' | 'Б' | 'У' | 'О';
}

export interface FinalMarkTable {
  id: Id;
  pupil_id: number;
  subject_id: number;
  year_id: number;
  /** A period of the year, or null for the year / exam / final mark. */
  period_id: number | null;
  kind: 'period' | 'year' | 'exam' | 'final';
  value: string;
}

export interface ArchiveVolumeTable {
  id: Id;
  archive_no: string;
  version: Generated<number>;
  kind: 'class_journal' | 'final_marks_ledger' | 'attendance_ledger' | 'movement_ledger';
  year_id: number;
  class_id: number | null;
  title: string;
  date_from: string;
  date_to: string;
  pages: number;
  sheets: number;
  duplex: 0 | 1;
  cover_counted: 0 | 1;
  retention_years: number;
  destroy_after: string;
  file_name: string;
  sha256: string;
  signature: string;
  key_fingerprint: string;
  sealed_at: string;
  sealed_by: number | null;
  batch_id: number | null;
  status: Generated<'sealed' | 'replaced' | 'destroyed'>;
  replaced_by: number | null;
  destroyed_at: string | null;
  destruction_act: string | null;
}

export interface ArchiveKeyTable {
  id: Id;
  fingerprint: string;
  public_key_pem: string;
  created_at: string;
}

export interface ArchiveBatchTable {
  id: Id;
  year_id: number;
  kinds: string;
  duplex: 0 | 1;
  started_at: string;
  started_by: number | null;
  finished_at: string | null;
  status: Generated<'running' | 'finished' | 'interrupted'>;
}

export interface BackupTable {
  id: Id;
  started_at: string;
  finished_at: string | null;
  target: string;
  path: string | null;
  bytes: number | null;
  sha256: string | null;
  status: 'running' | 'ok' | 'failed';
  message: string | null;
}

export interface BackupKeyTable {
  id: Generated<number>;
  fingerprint: string;
  public_key: string;
  kdf_json: string;
  wrapped_private_key: string;
  created_at: string;
  created_by: number | null;
  replaced_at: string | null;
}

export interface ExternalRefTable {
  system: string;
  entity: string;
  external_id: string;
  entity_id: number;
}

export interface ImportBaselineTable {
  entity: string;
  entity_id: number;
  field: string;
  /** What the last import wrote (personal data: deleted with the person's data on destruction). */
  value: string | null;
  profile: string;
  imported_at: string;
}

export type YearDecisionValue = 'promoted' | 'conditional' | 'repeat' | 'graduated';

/** An explicit decision of the administrator for a pupil at the year close (migration 007). */
export interface YearDecisionTable {
  year_id: number;
  pupil_id: number;
  decision: YearDecisionValue;
  /** JSON array of subject ids: the academic debt. */
  subject_ids: Generated<string>;
  decided_by: number | null;
  decided_at: string;
}

/** A closed year and where its pupils went (migration 007). */
export interface YearCloseTable {
  year_id: number;
  next_year_id: number;
  next_year_created: number;
  order_date: string;
  snapshot_file: string | null;
  closed_by: number | null;
  closed_at: string;
}

export type YearCloseRowTableName =
  | 'pupil_order'
  | 'movement_event'
  | 'class_membership'
  | 'school_year'
  | 'period'
  | 'holiday'
  | 'school_class'
  | 'curriculum'
  | 'study_group';

/** A row the close created: removed by «reopen». */
export interface YearCloseRowTable {
  year_id: number;
  table_name: YearCloseRowTableName;
  row_id: number;
}

/** A membership the close ended, with what it held before: restored by «reopen». */
export interface YearCloseEndingTable {
  year_id: number;
  membership_id: number;
  old_to_date: string | null;
  old_end_event_id: number | null;
}

/** An access code the close revoked, with what it held before: restored by «reopen» (migration 009). */
export interface YearCloseCodeTable {
  year_id: number;
  code_id: number;
  old_status: 'new' | 'issued';
  old_revoked_at: string | null;
  old_revoke_reason: string | null;
}

export interface Database {
  school: SchoolTable;
  setting: SettingTable;
  app_user: AppUserTable;
  audit_log: AuditLogTable;
  audit_erasure: AuditErasureTable;
  school_year: SchoolYearTable;
  period: PeriodTable;
  holiday: HolidayTable;
  staff: StaffTable;
  school_class: ClassTable;
  subject: SubjectTable;
  curriculum: CurriculumTable;
  study_group: StudyGroupTable;
  group_member: GroupMemberTable;
  pupil: PupilTable;
  alphabet_counter: AlphabetCounterTable;
  guardian: GuardianTable;
  pupil_guardian: PupilGuardianTable;
  pupil_order: PupilOrderTable;
  movement_event: MovementEventTable;
  class_membership: ClassMembershipTable;
  consent_template: ConsentTemplateTable;
  consent: ConsentTable;
  destruction_act: DestructionActTable;
  access_code: AccessCodeTable;
  lesson: LessonTable;
  mark: MarkTable;
  attendance: AttendanceTable;
  final_mark: FinalMarkTable;
  archive_volume: ArchiveVolumeTable;
  archive_key: ArchiveKeyTable;
  archive_batch: ArchiveBatchTable;
  backup: BackupTable;
  backup_key: BackupKeyTable;
  external_ref: ExternalRefTable;
  import_baseline: ImportBaselineTable;
  year_decision: YearDecisionTable;
  year_close: YearCloseTable;
  year_close_row: YearCloseRowTable;
  year_close_ending: YearCloseEndingTable;
  year_close_code: YearCloseCodeTable;
}

export type UserRow = Selectable<AppUserTable>;
export type NewUser = Insertable<AppUserTable>;
export type UserUpdate = Updateable<AppUserTable>;
export type AuditRow = Selectable<AuditLogTable>;
