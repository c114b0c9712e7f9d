import { useState, type ReactNode } from 'react';
import type { Result } from '../../../../common/api/contract';
import { SelectField, TextField } from '../../components/ui';
import { ENTITY_TITLES } from '../../../../common/exchange/mapping';

type Report = Result<'exchange.import'>;

interface Props {
  report: Report;
  decisions: Record<string, 'app' | 'file'>;
  onDecide(row: number, column: string, take: 'app' | 'file'): void;
  disabled: boolean;
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The dry run's report: counts per entity, rejected rows (filterable), conflicts with a choice each, warnings. */
export function ImportReportView({ report, decisions, onDecide, disabled }: Props) {
  const [text, setText] = useState('');
  const [column, setColumn] = useState('');
  const columns = [...new Set(report.rejected.map((r) => r.column))].sort((a, b) => a.localeCompare(b, 'ru'));
  const needle = text.trim().toLowerCase();
  const shown = report.rejected.filter(
    (r) => (column === '' || r.column === column) && (needle === '' || `${r.row} ${r.column} ${r.reason}`.toLowerCase().includes(needle)),
  );
  const entities = Object.entries(report.counts);
  const rejectedFile = report.rejectedFile;
  const mime = rejectedFile?.fileName.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX_MIME;

  return (
    <section className="stack exchange-report" data-testid="import-report" aria-labelledby="exchange-report-title">
      <h2 id="exchange-report-title" className="section-title">
        Проверка файла «{report.file}»
      </h2>
      <p className="muted">Это пробная загрузка: ничего не записано. Проверьте отчёт и нажмите «Загрузить».</p>
      <div className="table-wrap">
        <table className="data-table" aria-label="Что будет загружено">
          <thead>
            <tr>
              <th scope="col">Данные</th>
              <th scope="col">Будет создано</th>
              <th scope="col">Будет обновлено</th>
              <th scope="col">Без изменений</th>
            </tr>
          </thead>
          <tbody>
            {entities.map(([entity, c]) => (
              <tr key={entity} data-testid={`counts-${entity}`} aria-label={`${ENTITY_TITLES[entity] ?? entity}: будет создано: ${c.created}, будет обновлено: ${c.updated}, без изменений: ${c.unchanged}`}>
                <th scope="row">{ENTITY_TITLES[entity] ?? entity}</th>
                <td>
                  <span className="visually-hidden">будет создано: </span>
                  {c.created}
                </td>
                <td>
                  <span className="visually-hidden">будет обновлено: </span>
                  {c.updated}
                </td>
                <td>
                  <span className="visually-hidden">без изменений: </span>
                  {c.unchanged}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {report.rejected.length ? (
        <div className="stack">
          <h3 className="subsection-title">Отклонённые строки: {report.rejected.length} (не будут загружены)</h3>
          <div className="filters">
            <TextField label="Найти в отклонённых" value={text} onValue={setText} />
            <SelectField label="Столбец" value={column} onValue={setColumn} options={[{ value: '', label: 'все столбцы' }, ...columns.map((c) => ({ value: c, label: c || '(строка целиком)' }))]} />
            {rejectedFile ? (
              <a className="btn" download={rejectedFile.fileName} href={`data:${mime};base64,${rejectedFile.contentBase64}`}>
                Скачать отклонённые строки
              </a>
            ) : null}
          </div>
          <div className="table-wrap">
            <RejectedTable
              rows={shown}
              caption={<>Показано {shown.length} из {report.rejected.length}. В файле отклонённых строк — те же столбцы и столбец с причиной: исправьте его и загрузите снова.</>}
            />
          </div>
        </div>
      ) : (
        <p>Отклонённых строк нет.</p>
      )}

      {report.conflicts.length ? (
        <div className="stack">
          <h3 className="subsection-title">Расхождения: {report.conflicts.length}</h3>
          <p className="muted small">Эти поля изменены в программе после прошлой загрузки, а в файле другое значение. Решите для каждого, что оставить.</p>
          <div className="table-wrap">
            <table className="data-table" aria-label="Расхождения">
              <thead>
                <tr>
                  <th scope="col">Строка</th>
                  <th scope="col">Столбец</th>
                  <th scope="col">В программе</th>
                  <th scope="col">В файле</th>
                  <th scope="col">Решение</th>
                </tr>
              </thead>
              <tbody>
                {report.conflicts.map((c) => {
                  const key = `${c.row}\u0000${c.column}`;
                  return (
                    <tr key={key}>
                      <td>{c.row}</td>
                      <td>{c.column}</td>
                      <td>{c.inApp ?? '—'}</td>
                      <td>{c.inFile ?? '—'}</td>
                      <td>
                        <select
                          aria-label={`Строка ${c.row}, ${c.column}: что оставить`}
                          value={decisions[key] ?? 'app'}
                          disabled={disabled}
                          onChange={(e) => onDecide(c.row, c.column, e.target.value === 'file' ? 'file' : 'app')}
                        >
                          <option value="app">оставить в программе</option>
                          <option value="file">взять из файла</option>
                        </select>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}

      <WarningsTable warnings={report.warnings} caption="Предупреждения (строки загружаются)" />
    </section>
  );
}

/** Rejected rows of an import report: the file's row, its column and the reason. */
export function RejectedTable({ rows, caption }: { rows: readonly { row: number; column: string; reason: string }[]; caption: ReactNode }) {
  return (
    <table className="data-table" aria-label="Отклонённые строки">
      <caption className="table-caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Строка</th>
          <th scope="col">Столбец</th>
          <th scope="col">Причина</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.row}-${r.column}-${i}`}>
            <td>{r.row}</td>
            <td>{r.column}</td>
            <td>{r.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The warnings of an import report (unknown columns and the like): shown, never blocking. */
export function WarningsTable({ warnings, caption }: { warnings: readonly { column: string; reason: string }[]; caption: string }) {
  if (warnings.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className="data-table" aria-label="Предупреждения">
        <caption className="table-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Столбец</th>
            <th scope="col">Предупреждение</th>
          </tr>
        </thead>
        <tbody>
          {warnings.map((w, i) => (
            <tr key={`${w.column}-${i}`}>
              <td>{w.column}</td>
              <td>{w.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
