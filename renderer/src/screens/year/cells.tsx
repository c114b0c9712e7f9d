import { useId, useState, type KeyboardEvent } from 'react';
import type { z } from 'zod';
import type { staffSchema } from '../../../../common/api/year-contract';
import { comparePeople } from '../../../../common/domain/russian';
import { useApi } from '../../api/context';
import { ErrorNotice, TextField, useSubmit } from '../../components/ui';
import { formatIsoDate } from '../../format';

/**
 * Table cells of the set-up editors: an input or a select with its own accessible name and the
 * error right under it; in read-only mode just the text.
 */

export type Staff = z.infer<typeof staffSchema>;

export function staffName(s: Pick<Staff, 'lastName' | 'firstName' | 'middleName'>): string {
  const initials = [s.firstName, s.middleName].filter(Boolean).map((n) => `${n!.charAt(0)}.`).join(' ');
  return `${s.lastName} ${initials}`.trim();
}

function CellError({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <div className="field-error" id={id}>
      {error}
    </div>
  ) : null;
}

export function CellInput({
  label,
  value,
  onValue,
  error,
  type = 'text',
  readOnly,
  className,
  inputMode,
  autoFocus,
}: {
  label: string;
  value: string;
  onValue(value: string): void;
  error?: string | undefined;
  type?: 'text' | 'date';
  readOnly?: boolean;
  className?: string;
  inputMode?: 'numeric' | 'decimal';
  autoFocus?: boolean;
}) {
  const id = useId();
  if (readOnly) return <span>{type === 'date' ? formatIsoDate(value) : value || '—'}</span>;
  return (
    <div className={`cell-field${error ? ' field-invalid' : ''}`}>
      <input
        type={type}
        aria-label={label}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={className}
        inputMode={inputMode}
        spellCheck={false}
        autoComplete="off"
        data-autofocus={autoFocus ? '' : undefined}
      />
      <CellError id={`${id}-error`} error={error} />
    </div>
  );
}

export function CellSelect<V extends string>({
  label,
  value,
  onValue,
  options,
  error,
  readOnly,
}: {
  label: string;
  value: V;
  onValue(value: V): void;
  options: readonly { value: V; label: string }[];
  error?: string | undefined;
  readOnly?: boolean;
}) {
  const id = useId();
  if (readOnly) return <span>{options.find((o) => o.value === value)?.label ?? '—'}</span>;
  return (
    <div className={`cell-field${error ? ' field-invalid' : ''}`}>
      <select
        aria-label={label}
        value={value}
        onChange={(e) => onValue(e.target.value as V)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <CellError id={`${id}-error`} error={error} />
    </div>
  );
}

export const NEW_STAFF = '+new';

/** Active staff in Russian order, plus whoever is already chosen (even if left), plus «+ новый сотрудник…». */
export function staffOptions(staff: readonly Staff[], chosen: string, empty: string, allowNew: boolean): { value: string; label: string }[] {
  const shown = staff.filter((s) => s.active || String(s.id) === chosen).sort(comparePeople);
  return [
    { value: '', label: empty },
    ...shown.map((s) => ({ value: String(s.id), label: `${staffName(s)}${s.active ? '' : ' (не работает)'}` })),
    ...(allowNew ? [{ value: NEW_STAFF, label: '+ новый сотрудник…' }] : []),
  ];
}

/**
 * A staff member added without leaving the table (staff.save). Not a <form>: it lives inside the
 * wizard's form; Enter saves here and does not move the wizard on.
 */
export function NewStaffInline({ onSaved, onCancel }: { onSaved(staff: Staff): void; onCancel(): void }) {
  const api = useApi();
  const { busy, errors, run } = useSubmit();
  const [v, setV] = useState({ lastName: '', firstName: '', middleName: '', position: 'учитель' });
  const save = () =>
    void run(async () => {
      const saved = await api.invoke('staff.save', {
        lastName: v.lastName.trim(),
        firstName: v.firstName.trim(),
        middleName: v.middleName.trim() || null,
        position: v.position.trim(),
        active: true,
      });
      onSaved(saved);
    });
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      event.stopPropagation();
      save();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    }
  };
  return (
    <div className="panel year-new-staff" role="group" aria-label="Новый сотрудник" onKeyDown={onKey}>
      <h3 className="panel-title">Новый сотрудник</h3>
      <div className="form-grid">
        <TextField label="Фамилия" first value={v.lastName} onValue={(x) => setV({ ...v, lastName: x })} error={errors.fields.lastName} autoComplete="off" />
        <TextField label="Имя" value={v.firstName} onValue={(x) => setV({ ...v, firstName: x })} error={errors.fields.firstName} autoComplete="off" />
        <TextField label="Отчество" value={v.middleName} onValue={(x) => setV({ ...v, middleName: x })} error={errors.fields.middleName} autoComplete="off" hint="если есть" />
        <TextField label="Должность" value={v.position} onValue={(x) => setV({ ...v, position: x })} error={errors.fields.position} autoComplete="off" />
      </div>
      <ErrorNotice>{errors.message}</ErrorNotice>
      <div className="button-row">
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          Отмена
        </button>
        <button type="button" className="btn btn-primary" onClick={save} disabled={busy}>
          Добавить сотрудника
        </button>
      </div>
    </div>
  );
}

/** The last cell of an editable row: its one «Удалить» (or «Убрать») button, named for screen readers. */
export function RemoveCell({ label, text = 'Удалить', onRemove, disabled, title }: { label: string; text?: string; onRemove(): void; disabled?: boolean; title?: string }) {
  return (
    <td>
      <div className="row-actions">
        <button type="button" className="btn btn-small btn-quiet" aria-label={label} disabled={disabled} title={title} onClick={onRemove}>
          {text}
        </button>
      </div>
    </td>
  );
}
