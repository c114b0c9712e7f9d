import { useCallback, useEffect, useState } from 'react';
import type { CloseDecision, ClosePreview } from '../../../../../common/api/year-contract';
import { useApi } from '../../../api/context';

export interface PreviewState {
  data: ClosePreview | null;
  error: unknown;
  loading: boolean;
  reload(): void;
  /** Puts one pupil's new decision into the table at once; the reload brings totals and blockers. */
  patch(decision: CloseDecision): void;
}

/**
 * The close preview of a year for an order date ('' = the default). Several decisions in quick
 * succession each ask for a fresh preview: only the answer to the latest request is kept.
 */
export function usePreview(yearId: number, orderDate: string): PreviewState {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ data: ClosePreview | null; error: unknown; doneFor: string | null }>({ data: null, error: null, doneFor: null });
  const ticket = `${generation}:${yearId}:${orderDate}`;

  useEffect(() => {
    // A later request makes this answer stale: the cleanup of the effect drops it.
    let alive = true;
    api.invoke('year.closePreview', orderDate ? { yearId, orderDate } : { yearId }).then(
      (data) => {
        if (alive) setState({ data, error: null, doneFor: ticket });
      },
      (error: unknown) => {
        if (alive) setState((s) => ({ ...s, error, doneFor: ticket }));
      },
    );
    return () => {
      alive = false;
    };
  }, [api, yearId, orderDate, ticket]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const patch = useCallback((decision: CloseDecision) => {
    setState((s) => (s.data ? { ...s, data: { ...s.data, decisions: s.data.decisions.map((row) => (row.pupilId === decision.pupilId ? decision : row)) } } : s));
  }, []);
  // Another year: nothing of the previous one may show.
  const data = state.data && state.data.yearId === yearId ? state.data : null;
  return { data, error: state.error, loading: state.doneFor !== ticket, reload, patch };
}
