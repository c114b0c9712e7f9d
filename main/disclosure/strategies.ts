import { accountStrategies } from './accounts';
import { codesGenerate, codesImport, codesMark, codesReissue } from './codes';
import { admitStrategy, leaveStrategy, transferStrategy } from './movement';
import { guardianLink, guardianUnlink, guardianUpdate, pupilUpdate } from './people';
import type { Strategy } from './types';

/**
 * How each write method of the contract is reverted. Every write method is either here or in
 * NOT_REVERTIBLE with the reason (a test walks the contract): a new method must be classified.
 */
export const STRATEGIES: Readonly<Record<string, Strategy>> = {
  ...accountStrategies,
  'pupils.update': pupilUpdate,
  'guardians.update': guardianUpdate,
  'guardians.link': guardianLink,
  'guardians.unlink': guardianUnlink,
  'movement.admit': admitStrategy,
  'movement.transfer': transferStrategy,
  'movement.leave': leaveStrategy,
  'codes.generate': codesGenerate,
  'codes.import': codesImport,
  'codes.reissue': codesReissue,
  'codes.mark': codesMark,
};

/** Changes that are not reverted automatically, with what the administrator should do instead. */
export const NOT_REVERTIBLE: Readonly<Record<string, string>> = {
  // The archive register: sealed volumes are immutable documents, never deleted by a revert.
  'archive.preview': 'черновик печати не отменяется: удалите его кнопкой «Удалить черновик» в разделе «Архив»',
  'archive.discardDraft': 'удалённый черновик не восстанавливается: напечатайте документ заново в разделе «Архив»',
  'archive.seal': 'сданное в архив дело не удаляется: если его сдал посторонний, напечатайте документ заново и сдайте новой версией — прежняя будет помечена как заменённая',
  'archive.verify': 'проверка архива ничего не меняет',
  'archive.destructionAct': 'акт о выделении к уничтожению только печатается и ничего не меняет',
  'archive.destroy': 'уничтоженные дела не восстанавливаются автоматически: восстановите файлы из резервной копии и сверьте опись архива',
  'archive.sealYear': 'сданные в архив дела не удаляются: проверьте опись архива; ошибочные дела замените новыми версиями',
  'backup.run': 'резервная копия не удаляется автоматически: это зашифрованный файл в папке резервных копий, данные школы она не меняет',
  'archive.syncMirror': 'записанные вторые копии не удаляются: это точные копии проверенных основных, опись архива не меняется',
  'users.resetPassword': 'прежний пароль не хранится: задайте пользователю новый пароль (сброс пароля) и сообщите его лично',
  'auth.changePassword': 'прежний пароль не хранится: задайте пользователю новый пароль (сброс пароля) и сообщите его лично',
  'demo.generate': 'заполнение демонстрационной школы не отменяется: восстановите базу из резервной копии',
  'exchange.import':
    'загрузка из файла не отменяется автоматически: по журналу действий (записи загрузки) проверьте, кого она зачислила и что изменила, и исправьте вручную или восстановите базу из резервной копии',
  'movement.cancel': 'отменённую запись о движении внесите заново по приказу',
  'codes.print': 'листки с кодами класса напечатаны этой учётной записью: коды могли попасть к посторонним — перевыпустите коды класса («Коды доступа» → «Ещё…» → «Перевыпустить»)',
  // Consents are documents the family signed on paper: the register follows the paper, and a
  // decision is never deleted (a wrong one is corrected by the next decision).
  'consentTemplates.save':
    'редакции текстов согласий не удаляются: если эту редакцию внёс посторонний, сохраните прежний текст новой редакцией («Тексты согласий»)',
  'consents.record':
    'решение о согласии не удаляется: сверьте запись с подписанным бланком; ошибочную исправьте новым решением, отозванные при этом коды доступа перевыпустите',
  'consents.withdraw':
    'отзыв согласия не удаляется: сверьте его с подписанным заявлением; если заявления нет, зарегистрируйте согласие заново по бланку семьи',
  'consents.destroy':
    'уничтоженные персональные данные не восстанавливаются автоматически: восстановите их по бумажному личному делу или из резервной копии',
  'users.disclose': 'действия с раскрытыми учётными записями не отменяются автоматически',
  'users.revertSince': 'действия с раскрытыми учётными записями не отменяются автоматически',
  // The year set-up: structure, not people; the administrator checks it in «Учебный год».
  'years.open':
    'открытый учебный год не удаляется автоматически: проверьте его структуру в разделе «Учебный год»; лишние классы удалите там, пока в них нет обучающихся',
  'years.applyDraft':
    'прежняя структура года не хранится: сверьте даты, периоды, каникулы, классы и учебный план в разделе «Учебный год» и исправьте их; открытый при этом год не удаляется автоматически',
  'years.saveCalendar': 'прежний календарь года не хранится: сверьте даты года, периодов и каникул в разделе «Учебный год» и исправьте их',
  'classes.save': 'прежние данные класса не хранятся: сверьте литеру, схему периодов и классного руководителя в разделе «Учебный год» и исправьте их',
  'classes.delete': 'удалённый класс не восстанавливается автоматически: создайте его заново в разделе «Учебный год» вместе с учебным планом',
  'subjects.save': 'прежнее название предмета не хранится: сверьте предметы в разделе «Учебный год» и исправьте их',
  'curriculum.save': 'прежний учебный план не хранится: сверьте часы, учителей и группы класса в разделе «Учебный год» и исправьте их',
  'staff.save': 'прежние данные сотрудника не хранятся: сверьте карточку сотрудника по документам и исправьте её',
  // The close is undone as a whole by «Отменить закрытие» (year.reopen), never piecemeal.
  'year.decide': 'решения о переводе меняются на экране закрытия года: если учебный год уже закрыт, сначала «Отменить закрытие», затем измените решение',
  'year.close': 'закрытие учебного года отменяется кнопкой «Отменить закрытие» (year reopen), а не отменой изменений учётной записи',
  'year.reopen':
    'отменённое закрытие учебного года не восстанавливается отменой изменений учётной записи: проверьте решения о переводе и закройте год заново («Закрыть учебный год», year close --confirm)',
};

export const NOT_CLASSIFIED = 'эта операция не отменяется автоматически: проверьте и исправьте её вручную';
