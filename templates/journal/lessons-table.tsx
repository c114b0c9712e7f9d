import type { ReactElement } from 'react';
import { ruDate } from '../layout';
import type { LessonLine } from './types';

/** The lessons pages of a subject: date, lesson number, topic, homework, teacher and substitute. */
export function LessonsTable({ title, lessons }: { title: string; lessons: LessonLine[] }): ReactElement {
  return (
    <div className="page-break">
      <div className="part-title">{title}: содержание уроков</div>
      {lessons.length === 0 ? (
        <p className="note-line">Уроков не было.</p>
      ) : (
        <table className="lessons">
          <colgroup>
            <col style={{ width: '17mm' }} />
            <col style={{ width: '9mm' }} />
            <col />
            <col style={{ width: '30%' }} />
            <col style={{ width: '30mm' }} />
            <col style={{ width: '30mm' }} />
          </colgroup>
          <thead>
            <tr>
              <th>Дата</th>
              <th>№ урока</th>
              <th>Тема урока</th>
              <th>Домашнее задание</th>
              <th>Учитель</th>
              <th>Замена</th>
            </tr>
          </thead>
          <tbody>
            {lessons.map((l, i) => (
              <tr key={i}>
                <td className="c">{ruDate(l.date)}</td>
                <td className="c">{l.lessonNumber ?? ''}</td>
                <td>{l.topic}</td>
                <td>{l.homework ?? ''}</td>
                <td>{l.teacher}</td>
                <td>{l.substitute ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
