import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The first schema: the whole domain of the school office. Every table is STRICT, so a wrong
 * type is refused by SQLite itself rather than stored silently.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's typed schema
type AnyDb = Kysely<any>;

function strict<T extends string>(builder: CreateTableBuilder<T>): CreateTableBuilder<T> {
  return builder.modifyEnd(sql`strict`);
}

const id = (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement();

export async function up(db: AnyDb): Promise<void> {
  await strict(
    db.schema
      .createTable('school')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('short_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('director_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('inn', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();

  await strict(
    db.schema
      .createTable('setting')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();

  await strict(
    db.schema
      .createTable('app_user')
      .addColumn('id', 'integer', id)
      .addColumn('login', 'text', (c) => c.notNull().unique())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('secretary','admin','archivist','director')`))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0).check(sql`locked in (0,1)`))
      .addColumn('locked_at', 'text')
      .addColumn('last_login_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)),
  ).execute();

  // Append-only, hash-chained: AUTOINCREMENT keeps sqlite_sequence, which exposes a deleted tail.
  await strict(
    db.schema
      .createTable('audit_log')
      .addColumn('id', 'integer', id)
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer')
      .addColumn('user_login', 'text')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('entity', 'text')
      .addColumn('entity_id', 'text')
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('details_json', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id']).execute();

  await strict(
    db.schema
      .createTable('school_year')
      .addColumn('id', 'integer', id)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`closed in (0,1)`))
      .addColumn('closed_at', 'text')
      .addCheckConstraint('school_year_dates', sql`starts_on < ends_on`),
  ).execute();

  await strict(
    db.schema
      .createTable('period')
      .addColumn('id', 'integer', id)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id').onDelete('cascade'))
      .addColumn('scheme', 'text', (c) => c.notNull().check(sql`scheme in ('quarters','halves','trimesters')`))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addUniqueConstraint('period_unique', ['year_id', 'scheme', 'number'])
      .addCheckConstraint('period_dates', sql`starts_on <= ends_on`),
  ).execute();

  await strict(
    db.schema
      .createTable('holiday')
      .addColumn('id', 'integer', id)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addCheckConstraint('holiday_dates', sql`starts_on <= ends_on`),
  ).execute();

  await strict(
    db.schema
      .createTable('staff')
      .addColumn('id', 'integer', id)
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('middle_name', 'text')
      .addColumn('position', 'text', (c) => c.notNull().defaultTo('учитель'))
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)),
  ).execute();

  await strict(
    db.schema
      .createTable('school_class')
      .addColumn('id', 'integer', id)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id'))
      .addColumn('parallel', 'integer', (c) => c.notNull().check(sql`parallel between 1 and 11`))
      .addColumn('letter', 'text', (c) => c.notNull())
      .addColumn('period_scheme', 'text', (c) => c.notNull().check(sql`period_scheme in ('quarters','halves','trimesters')`))
      .addColumn('class_teacher_id', 'integer', (c) => c.references('staff.id'))
      .addUniqueConstraint('class_unique', ['year_id', 'parallel', 'letter']),
  ).execute();

  await strict(
    db.schema
      .createTable('subject')
      .addColumn('id', 'integer', id)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('short_name', 'text', (c) => c.notNull())
      .addColumn('part', 'text', (c) => c.notNull().defaultTo('federal').check(sql`part in ('federal','school')`))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0)),
  ).execute();

  await strict(
    db.schema
      .createTable('curriculum')
      .addColumn('id', 'integer', id)
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id').onDelete('cascade'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('hours_per_week', 'real', (c) => c.notNull())
      .addColumn('teacher_id', 'integer', (c) => c.references('staff.id'))
      .addUniqueConstraint('curriculum_unique', ['class_id', 'subject_id']),
  ).execute();

  await strict(
    db.schema
      .createTable('study_group')
      .addColumn('id', 'integer', id)
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id').onDelete('cascade'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('teacher_id', 'integer', (c) => c.references('staff.id'))
      .addUniqueConstraint('study_group_unique', ['class_id', 'subject_id', 'name']),
  ).execute();

  await strict(
    db.schema
      .createTable('group_member')
      .addColumn('group_id', 'integer', (c) => c.notNull().references('study_group.id').onDelete('cascade'))
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addPrimaryKeyConstraint('group_member_pk', ['group_id', 'pupil_id']),
  ).execute();

  await strict(
    db.schema
      .createTable('pupil')
      .addColumn('id', 'integer', id)
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('middle_name', 'text')
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('gender', 'text', (c) => c.notNull().check(sql`gender in ('м','ж')`))
      .addColumn('snils', 'text', (c) => c.unique())
      .addColumn('doc_kind', 'text', (c) => c.check(sql`doc_kind in ('birth_certificate','passport','foreign')`))
      .addColumn('doc_series', 'text')
      .addColumn('doc_number', 'text')
      .addColumn('doc_issued_by', 'text')
      .addColumn('doc_issued_on', 'text')
      .addColumn('reg_address', 'text')
      .addColumn('live_address', 'text')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('alphabet_letter', 'text')
      .addColumn('alphabet_number', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('pupil_alphabet_entry', ['alphabet_letter', 'alphabet_number']),
  ).execute();
  await db.schema.createIndex('pupil_name').on('pupil').columns(['last_name', 'first_name']).execute();

  // Alphabet-book numbers are never reused, even if a pupil's data is destroyed later.
  await strict(
    db.schema
      .createTable('alphabet_counter')
      .addColumn('letter', 'text', (c) => c.primaryKey())
      .addColumn('last_number', 'integer', (c) => c.notNull()),
  ).execute();

  await strict(
    db.schema
      .createTable('guardian')
      .addColumn('id', 'integer', id)
      .addColumn('last_name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text', (c) => c.notNull())
      .addColumn('middle_name', 'text')
      .addColumn('birth_date', 'text')
      .addColumn('snils', 'text', (c) => c.unique())
      .addColumn('doc_kind', 'text', (c) => c.check(sql`doc_kind in ('passport','foreign')`))
      .addColumn('doc_series', 'text')
      .addColumn('doc_number', 'text')
      .addColumn('doc_issued_by', 'text')
      .addColumn('doc_issued_on', 'text')
      .addColumn('reg_address', 'text')
      .addColumn('live_address', 'text')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();

  await strict(
    db.schema
      .createTable('pupil_guardian')
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('guardian_id', 'integer', (c) => c.notNull().references('guardian.id'))
      .addColumn('kinship', 'text', (c) => c.notNull().check(sql`kinship in ('мать','отец','опекун','попечитель','иное')`))
      .addColumn('authority_doc', 'text')
      .addPrimaryKeyConstraint('pupil_guardian_pk', ['pupil_id', 'guardian_id']),
  ).execute();
  await db.schema.createIndex('pupil_guardian_guardian').on('pupil_guardian').column('guardian_id').execute();

  await strict(
    db.schema
      .createTable('pupil_order')
      .addColumn('id', 'integer', id)
      .addColumn('year_label', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('order_date', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) =>
        c
          .notNull()
          .check(sql`kind in ('admission','class_transfer','expulsion','promotion','conditional_promotion','repeat','graduation')`),
      )
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('signed_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addUniqueConstraint('pupil_order_number', ['year_label', 'number']),
  ).execute();

  await strict(
    db.schema
      .createTable('movement_event')
      .addColumn('id', 'integer', id)
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('order_id', 'integer', (c) => c.references('pupil_order.id'))
      .addColumn('kind', 'text', (c) =>
        c
          .notNull()
          .check(
            sql`kind in ('admission','class_transfer','leave','promotion','conditional_promotion','repeat','graduation','cancellation')`,
          ),
      )
      .addColumn('event_date', 'text', (c) => c.notNull())
      .addColumn('from_class_id', 'integer', (c) => c.references('school_class.id'))
      .addColumn('to_class_id', 'integer', (c) => c.references('school_class.id'))
      .addColumn('reason', 'text')
      .addColumn('place', 'text')
      .addColumn('cancels_event_id', 'integer', (c) => c.references('movement_event.id'))
      .addColumn('note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id')),
  ).execute();
  await db.schema.createIndex('movement_event_pupil').on('movement_event').columns(['pupil_id', 'event_date']).execute();
  await db.schema.createIndex('movement_event_date').on('movement_event').column('event_date').execute();

  await strict(
    db.schema
      .createTable('class_membership')
      .addColumn('id', 'integer', id)
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('to_date', 'text')
      .addColumn('start_event_id', 'integer', (c) => c.references('movement_event.id'))
      .addColumn('end_event_id', 'integer', (c) => c.references('movement_event.id'))
      .addCheckConstraint('class_membership_dates', sql`to_date is null or from_date <= to_date`),
  ).execute();
  await db.schema.createIndex('class_membership_class').on('class_membership').columns(['class_id', 'from_date']).execute();
  await db.schema.createIndex('class_membership_pupil').on('class_membership').column('pupil_id').execute();

  await strict(
    db.schema
      .createTable('consent_template')
      .addColumn('id', 'integer', id)
      .addColumn('purpose', 'text', (c) =>
        c.notNull().check(sql`purpose in ('pupil_data','guardian_data','distribution','electronic_results')`),
      )
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
      .addUniqueConstraint('consent_template_version', ['purpose', 'version']),
  ).execute();

  await strict(
    db.schema
      .createTable('consent')
      .addColumn('id', 'integer', id)
      .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('pupil','guardian')`))
      .addColumn('pupil_id', 'integer', (c) => c.references('pupil.id'))
      .addColumn('guardian_id', 'integer', (c) => c.references('guardian.id'))
      .addColumn('purpose', 'text', (c) =>
        c.notNull().check(sql`purpose in ('pupil_data','guardian_data','distribution','electronic_results')`),
      )
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('given','refused','withdrawn')`))
      .addColumn('decided_on', 'text', (c) => c.notNull())
      .addColumn('template_id', 'integer', (c) => c.references('consent_template.id'))
      .addColumn('signed_by_guardian_id', 'integer', (c) => c.references('guardian.id'))
      .addColumn('signed_by_pupil', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('categories_json', 'text')
      .addColumn('scan', 'blob')
      .addColumn('scan_mime', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`))
      .addCheckConstraint('consent_subject', sql`pupil_id is not null or guardian_id is not null`),
  ).execute();
  await db.schema.createIndex('consent_pupil').on('consent').column('pupil_id').execute();
  await db.schema.createIndex('consent_guardian').on('consent').column('guardian_id').execute();

  await strict(
    db.schema
      .createTable('access_code')
      .addColumn('id', 'integer', id)
      .addColumn('holder_kind', 'text', (c) => c.notNull().check(sql`holder_kind in ('pupil','guardian')`))
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('guardian_id', 'integer', (c) => c.references('guardian.id'))
      .addColumn('code_secret', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('new','issued','revoked','disclosed')`))
      .addColumn('imported_at', 'text', (c) => c.notNull())
      .addColumn('issued_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('revoke_reason', 'text')
      .addColumn('disclosed_at', 'text')
      .addCheckConstraint('access_code_holder', sql`holder_kind = 'pupil' or guardian_id is not null`),
  ).execute();
  await db.schema.createIndex('access_code_pupil').on('access_code').column('pupil_id').execute();

  await strict(
    db.schema
      .createTable('lesson')
      .addColumn('id', 'integer', id)
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('group_id', 'integer', (c) => c.references('study_group.id'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('lesson_date', 'text', (c) => c.notNull())
      .addColumn('lesson_number', 'integer')
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('homework', 'text')
      .addColumn('teacher_id', 'integer', (c) => c.references('staff.id'))
      .addColumn('substitute_teacher_id', 'integer', (c) => c.references('staff.id'))
      .addColumn('external_id', 'text'),
  ).execute();
  await db.schema.createIndex('lesson_class_subject').on('lesson').columns(['class_id', 'subject_id', 'lesson_date']).execute();

  await strict(
    db.schema
      .createTable('mark')
      .addColumn('id', 'integer', id)
      .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id').onDelete('cascade'))
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('weight', 'integer', (c) => c.notNull().defaultTo(1)),
  ).execute();
  await db.schema.createIndex('mark_lesson').on('mark').column('lesson_id').execute();
  await db.schema.createIndex('mark_pupil').on('mark').column('pupil_id').execute();

  await strict(
    db.schema
      .createTable('attendance')
      .addColumn('id', 'integer', id)
      .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id').onDelete('cascade'))
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('code', 'text', (c) => c.notNull().check(sql`code in ('Н','Б','У','О')`))
      .addUniqueConstraint('attendance_unique', ['lesson_id', 'pupil_id']),
  ).execute();
  await db.schema.createIndex('attendance_pupil').on('attendance').column('pupil_id').execute();

  await strict(
    db.schema
      .createTable('final_mark')
      .addColumn('id', 'integer', id)
      .addColumn('pupil_id', 'integer', (c) => c.notNull().references('pupil.id'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('year_id', 'integer', (c) => c.notNull().references('school_year.id'))
      .addColumn('period_id', 'integer', (c) => c.references('period.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('period','year','exam','final')`))
      .addColumn('value', 'text', (c) => c.notNull().check(sql`value in ('2','3','4','5','зач','н/а','осв')`))
      .addCheckConstraint('final_mark_period', sql`(kind = 'period') = (period_id is not null)`),
  ).execute();
  // One mark per pupil, subject and period (or per kind for the whole year).
  await sql`create unique index final_mark_unique on final_mark (pupil_id, subject_id, year_id, kind, coalesce(period_id, 0))`.execute(db);

  await strict(
    db.schema
      .createTable('archive_volume')
      .addColumn('id', 'integer', id)
      .addColumn('year_id', 'integer', (c) => c.references('school_year.id'))
      .addColumn('kind', 'text', (c) =>
        c
          .notNull()
          .check(sql`kind in ('class_journal','final_marks_ledger','attendance_ledger','movement_ledger','other')`),
      )
      .addColumn('class_id', 'integer', (c) => c.references('school_class.id'))
      .addColumn('volume_number', 'text', (c) => c.notNull().unique())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('date_from', 'text', (c) => c.notNull())
      .addColumn('date_to', 'text', (c) => c.notNull())
      .addColumn('sheets', 'integer', (c) => c.notNull())
      .addColumn('retention_years', 'integer', (c) => c.notNull())
      .addColumn('file_path', 'text')
      .addColumn('sha256', 'text')
      .addColumn('sealed_at', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft','sealed','destroyed')`))
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)),
  ).execute();

  await strict(
    db.schema
      .createTable('backup')
      .addColumn('id', 'integer', id)
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('path', 'text')
      .addColumn('bytes', 'integer')
      .addColumn('sha256', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running','ok','failed')`))
      .addColumn('message', 'text'),
  ).execute();

  await strict(
    db.schema
      .createTable('external_ref')
      .addColumn('system', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('external_ref_pk', ['system', 'entity', 'external_id']),
  ).execute();
}

export async function down(db: AnyDb): Promise<void> {
  const tables = [
    'external_ref', 'backup', 'archive_volume', 'final_mark', 'attendance', 'mark', 'lesson', 'access_code', 'consent',
    'consent_template', 'class_membership', 'movement_event', 'pupil_order', 'pupil_guardian', 'guardian',
    'alphabet_counter', 'pupil', 'group_member', 'study_group', 'curriculum', 'subject', 'school_class', 'staff', 'holiday', 'period',
    'school_year', 'audit_log', 'app_user', 'setting', 'school',
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
}
