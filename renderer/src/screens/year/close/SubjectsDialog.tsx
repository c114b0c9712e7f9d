import { useState } from 'react';
import { DECISION_LABELS, type CloseDecision, type Decision } from '../../../../../common/api/year-contract';
import { Dialog, DialogActions, ErrorNotice, Form, Notice } from '../../../components/ui';
import { subjectIdsOf, type SubjectOption } from './model';

/**
 * The subjects of a pupil's academic debt (conditional promotion or repeat): a check list of the
 * class's curriculum subjects. Empty means «as the final marks say» (the server takes the debt).
 */
export function SubjectsDialog({
  row,
  decision,
  required,
  options,
  onSave,
  onClose,
}: {
  row: CloseDecision;
  decision: Decision;
  /** The year marks give no debt: at least one subject must be chosen. */
  required: boolean;
  options: readonly SubjectOption[];
  onSave(subjectIds: number[]): void;
  onClose(): void;
}) {
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(subjectIdsOf(row.subjects, options)));
  const [problem, setProblem] = useState<string | null>(null);
  const toggle = (id: number, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <Dialog title={`Предметы задолженности — ${row.pupil}`} onClose={onClose}>
      <Form
        onSubmit={() => {
          if (required && chosen.size === 0) {
            setProblem('Отметьте хотя бы один предмет: по годовым отметкам задолженности нет.');
            return;
          }
          onSave(options.filter((o) => chosen.has(o.id)).map((o) => o.id));
          onClose();
        }}
      >
        <p className="dialog-text">
          {row.class}, решение: {DECISION_LABELS[decision]}. Отметьте предметы, по которым у обучающегося академическая задолженность
          {required ? '.' : '; без отметок программа возьмёт предметы с годовой отметкой «2» или «н/а».'}
        </p>
        {options.length === 0 ? (
          <Notice kind="warning">У класса нет учебного плана: предметы задолженности выбрать не из чего.</Notice>
        ) : (
          <fieldset className="yc-subjects">
            <legend className="visually-hidden">Предметы класса {row.class}</legend>
            {options.map((o, i) => (
              <label key={o.id} className="checkbox-line">
                <input
                  type="checkbox"
                  checked={chosen.has(o.id)}
                  onChange={(e) => toggle(o.id, e.target.checked)}
                  data-autofocus={i === 0 ? '' : undefined}
                />{' '}
                {o.name}
              </label>
            ))}
          </fieldset>
        )}
        <ErrorNotice>{problem}</ErrorNotice>
        <DialogActions>
          <button type="button" className="btn" onClick={onClose}>
            Отмена
          </button>
          <button type="submit" className="btn btn-primary">
            Сохранить
          </button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}
