import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ChangeEvent,
  type FormEvent,
  type FormHTMLAttributes,
  type InputHTMLAttributes,
  type TextareaHTMLAttributes,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { ApiCallError, errorMessage } from '../api/client';

/* ------------------------------------------------------------------ fields */

interface FieldShellProps {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  className?: string | undefined;
}

function FieldShell({ id, label, error, hint, children, className }: FieldShellProps) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && !error ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
      {error ? (
        <div className="field-error" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value' | 'id'> {
  label: string;
  value: string;
  onValue(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  fieldClassName?: string;
}

/** A multi-line field with the same label, hint and error layout as TextField. */
export function TextAreaField({ label, value, onValue, error, hint, fieldClassName, rows = 4, ...rest }: TextAreaFieldProps) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={fieldClassName}>
      <textarea
        id={id}
        value={value}
        rows={rows}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
    </FieldShell>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'>;

export interface TextFieldProps extends InputProps {
  label: string;
  value: string;
  onValue(value: string): void;
  error?: string | undefined;
  hint?: ReactNode;
  /** Focus this field when its dialog or screen opens. */
  first?: boolean;
  fieldClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, value, onValue, error, hint, first, fieldClassName, ref, ...rest }: TextFieldProps) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={fieldClassName}>
      <input
        ref={ref}
        id={id}
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onValue(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        data-autofocus={first ? '' : undefined}
        autoFocus={first}
        spellCheck={false}
        {...rest}
      />
    </FieldShell>
  );
}

export interface SelectFieldProps<V extends string> {
  label: string;
  value: V;
  onValue(value: V): void;
  options: readonly { value: V; label: string }[];
  error?: string | undefined;
  hint?: ReactNode;
  disabled?: boolean;
  first?: boolean;
  fieldClassName?: string;
}

export function SelectField<V extends string>({ label, value, onValue, options, error, hint, disabled, first, fieldClassName }: SelectFieldProps<V>) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <FieldShell id={id} label={label} error={error} hint={hint} className={fieldClassName}>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onValue(e.target.value as V)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        data-autofocus={first ? '' : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/* ----------------------------------------------------------------- notices */

export function ErrorNotice({ error, children }: { error?: unknown; children?: ReactNode }) {
  if (!error && !children) return null;
  return (
    <div className="notice notice-error" role="alert">
      {children ?? errorMessage(error)}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role="status">
      {children}
    </div>
  );
}

export function Loading({ text = 'Загрузка…' }: { text?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      {text}
    </div>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}

/* ------------------------------------------------------------------- forms */

/** Errors of one form: a general message and per-field messages (from the server's `fields`). */
export interface FormErrors {
  message: string | null;
  fields: Record<string, string>;
}
export const NO_ERRORS: FormErrors = { message: null, fields: {} };

export function formErrorsFrom(error: unknown): FormErrors {
  if (error instanceof ApiCallError) return { message: error.message, fields: error.fields };
  return { message: errorMessage(error), fields: {} };
}

/** Local checks before a call: field → message; empty when all is well. */
export function clientErrors(fields: Record<string, string | false | null | undefined>): FormErrors | null {
  const found: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields)) if (message) found[key] = message;
  if (Object.keys(found).length === 0) return null;
  return { message: 'Проверьте отмеченные поля.', fields: found };
}

/** Runs a submit with busy state and server errors mapped onto the fields. */
export function useSubmit(): {
  busy: boolean;
  errors: FormErrors;
  setErrors(errors: FormErrors): void;
  run(work: () => Promise<void>): Promise<void>;
} {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await work();
    } catch (error) {
      if (alive.current) setErrors(formErrorsFrom(error));
    } finally {
      if (alive.current) setBusy(false);
    }
  }, []);
  return { busy, errors, setErrors, run };
}

/** A form that submits with Enter and never reloads the page; browser validation is off (ours is in Russian). */
export function Form({ onSubmit, children, ...rest }: { onSubmit(): void; children: ReactNode } & Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'>) {
  return (
    <form
      noValidate
      {...rest}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

/* ----------------------------------------------------------------- dialogs */

function focusFirst(root: HTMLElement): void {
  const target =
    root.querySelector<HTMLElement>('[data-autofocus]') ??
    root.querySelector<HTMLElement>('input:not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled])') ??
    root.querySelector<HTMLElement>('button:not([disabled])');
  target?.focus();
}

export interface DialogProps {
  title: string;
  onClose(): void;
  /** False while something runs that Esc must not interrupt. */
  closable?: boolean;
  children: ReactNode;
  className?: string;
  /** Accessible description: the id of a text inside. */
  describedBy?: string;
  /** Shown above the title (a logo). */
  before?: ReactNode;
}

/**
 * A modal dialog (native <dialog>: focus stays inside, the page behind is inert).
 * Esc closes it unless `closable` is false; the first field gets the focus.
 */
export function Dialog({ title, onClose, closable = true, children, className, describedBy, before }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const latest = useRef({ onClose, closable });
  useEffect(() => {
    latest.current = { onClose, closable };
  });
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    let mounted = true;
    if (!dialog.open) dialog.showModal();
    focusFirst(dialog);
    const handleCancel = (event: Event) => {
      event.preventDefault();
      if (latest.current.closable) latest.current.onClose();
    };
    // The browser may close a dialog on a repeated Esc despite preventDefault: reopen or report.
    const handleClose = () => {
      if (!mounted) return;
      if (latest.current.closable) latest.current.onClose();
      else dialog.showModal();
    };
    dialog.addEventListener('cancel', handleCancel);
    dialog.addEventListener('close', handleClose);
    return () => {
      mounted = false;
      dialog.removeEventListener('cancel', handleCancel);
      dialog.removeEventListener('close', handleClose);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} className={`dialog${className ? ` ${className}` : ''}`} aria-labelledby={titleId} aria-describedby={describedBy}>
      {before}
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}

/** The button row of a dialog form, with the keyboard hint. */
export function DialogActions({ children, hint = true }: { children: ReactNode; hint?: boolean }) {
  return (
    <div className="dialog-actions">
      {hint ? (
        <span className="shortcut-hint" aria-hidden="true">
          <Kbd>Enter</Kbd> — выполнить, <Kbd>Esc</Kbd> — закрыть
        </span>
      ) : (
        <span />
      )}
      <div className="button-row">{children}</div>
    </div>
  );
}

/** The usual footer of a form dialog: «Отмена» and the submit button, both off while busy. */
export function SubmitActions({ busy, onCancel, submitLabel }: { busy: boolean; onCancel(): void; submitLabel: string }) {
  return (
    <DialogActions>
      <button type="button" className="btn" onClick={onCancel} disabled={busy}>
        Отмена
      </button>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {submitLabel}
      </button>
    </DialogActions>
  );
}

export interface ConfirmDialogProps {
  title: string;
  text: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): Promise<void>;
  onClose(): void;
}

export function ConfirmDialog({ title, text, confirmLabel, danger, onConfirm, onClose }: ConfirmDialogProps) {
  const { busy, errors, run } = useSubmit();
  const textId = useId();
  return (
    <Dialog title={title} onClose={onClose} closable={!busy} describedBy={textId}>
      <Form onSubmit={() => void run(onConfirm)}>
        <div id={textId} className="dialog-text">
          {text}
        </div>
        <ErrorNotice>{errors.message}</ErrorNotice>
        <DialogActions>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Отмена
          </button>
          <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy} data-autofocus="">
            {confirmLabel}
          </button>
        </DialogActions>
      </Form>
    </Dialog>
  );
}

/* ------------------------------------------------------------------ toasts */

interface Toast {
  id: number;
  text: string;
}
const ToastContext = createContext<(text: string) => void>(() => undefined);

/** Short confirmations ("Пользователь создан") that fade after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const notify = useCallback((text: string) => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-2), { id, text }]);
    window.setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 6000);
  }, []);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className="toast">
            {toast.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): (text: string) => void {
  return useContext(ToastContext);
}

/* -------------------------------------------------------------- empty state */

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2 className="empty-state-title">{title}</h2>
      {children}
    </div>
  );
}

/**
 * A row of tabs with the usual keyboard behaviour: arrow keys, Home and End move between tabs
 * (and focus them); Tab goes on into the panel. The panel itself is the caller's, labelled by
 * `${idPrefix}-tab-${current}` and identified as `${idPrefix}-panel`.
 */
export function TabList<T extends string>({
  label,
  idPrefix,
  tabs,
  current,
  onChoose,
}: {
  label: string;
  idPrefix: string;
  tabs: readonly { id: T; title: string }[];
  current: T;
  onChoose(next: T): void;
}) {
  const listRef = useRef<HTMLDivElement>(null);
  const onKey = (event: ReactKeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === current);
    let next = -1;
    if (event.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    event.preventDefault();
    const id = tabs[next]!.id;
    onChoose(id);
    listRef.current?.querySelector<HTMLElement>(`#${idPrefix}-tab-${id}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} ref={listRef} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${t.id}`}
          aria-selected={current === t.id}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={current === t.id ? 0 : -1}
          className={`btn ${current === t.id ? 'btn-primary' : ''}`}
          onClick={() => onChoose(t.id)}
        >
          {t.title}
        </button>
      ))}
    </div>
  );
}
