import type { ReactElement, ReactNode } from 'react';

/**
 * A line to sign on the paper: who signs, then cells each with a ruled value (blank to fill in
 * by hand, or printed) and a small caption under it («подпись», «И. О. Фамилия»…). The widths
 * are the document's own: its CSS styles `.<className>`, `.<roleClassName>`, `.cell`, `.value`
 * and `.caption`.
 */

export interface SignatureCell {
  /** Printed on the line; absent: the line stays blank to be filled in by hand. */
  value?: ReactNode;
  caption: string;
  /** An extra class of the cell (e.g. a fixed-width date). */
  className?: string;
}

export function SignatureLine(props: { className: string; roleClassName?: string; role: ReactNode; cells: readonly SignatureCell[] }): ReactElement {
  return (
    <div className={props.className}>
      <div className={props.roleClassName ?? 'role'}>{props.role}</div>
      {props.cells.map((cell, i) => (
        <div key={i} className={cell.className ? `cell ${cell.className}` : 'cell'}>
          <div className="value">{cell.value ?? '\u00a0'}</div>
          <div className="caption">{cell.caption}</div>
        </div>
      ))}
    </div>
  );
}
