// Small pieces every view uses: messages in words, times, and the "busy, then done or
// refused" cycle of an action.
import { html, useState, useEffect, useCallback } from './preact.js';

// A refusal as the API words it (the catalog's detail, e.g. LAST_ADMIN's), or a message.
export function Notice({ error, message }) {
  if (error) {
    return html`<p class="notice error" role="alert">${error.message || String(error)}</p>`;
  }
  if (message) return html`<p class="notice ok" role="status">${message}</p>`;
  return null;
}

export function when(iso) {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function yesNo(value) {
  return value ? 'yes' : 'no';
}

// Runs `load` now and whenever `deps` change: {data, error, reload}. reload() resolves once
// the new data is in the state, so an action can say it is done only when the page shows it.
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null });
  const reload = useCallback(
    () => load().then((data) => setState({ data, error: null }), (error) => setState({ data: null, error })),
    deps,
  );
  useEffect(() => {
    reload();
  }, [reload]);
  return { ...state, reload };
}

// An action's outcome: run(fn, done) shows the refusal or `done` in words.
export function useAction() {
  const [state, setState] = useState({ busy: false, error: null, message: null });
  const run = async (fn, done) => {
    setState({ busy: true, error: null, message: null });
    try {
      const result = await fn();
      setState({ busy: false, error: null, message: typeof done === 'function' ? done(result) : done });
      return result;
    } catch (error) {
      setState({ busy: false, error, message: null });
      return undefined;
    }
  };
  return { ...state, run };
}
