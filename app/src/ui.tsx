import { Component, type ErrorInfo, type ReactNode } from "react";
import { readableError } from "./format.ts";
import { useStrata } from "./context.tsx";
import { short } from "./format.ts";

export function Card({ title, children, testId }: { title: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="card" data-testid={testId}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** One labelled figure; `testId` lets the browser tests read it. */
export function Stat({ label, value, hint, testId, warn }: { label: ReactNode; value: ReactNode; hint?: ReactNode; testId?: string; warn?: boolean }) {
  return (
    <div className={`stat${warn ? " warn" : ""}`}>
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>
        {value}
      </div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

export function ErrorLine({ error, testId }: { error: string | null | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <p className="error" data-testid={testId ?? "error"}>
      {error}
    </p>
  );
}

/** Read-only mode: what choosing a wallet would enable on this page (the figures above need none). */
export function ConnectHint({ children }: { children: ReactNode }) {
  return (
    <p className="muted" data-testid="connect-hint">
      Choose a wallet (top right) to {children}.
    </p>
  );
}

/** Every transaction of this session, newest first, with its state and hashes (approvals included). */
export function TxPanel() {
  const { txs } = useStrata();
  if (txs.length === 0) return null;
  return (
    <aside className="txs" data-testid="tx-panel">
      <h3>Transactions</h3>
      <ul>
        {txs.map((t) => (
          <li key={t.id} className={`tx ${t.state}`} data-testid="tx" data-state={t.state}>
            <span className="tx-label">{t.label}</span> <span className="tx-state">{t.state}</span>
            {t.hashes.length > 0 && <span className="muted"> {t.hashes.map(short).join(", ")}</span>}
            {t.result && (
              <div className="tx-result" data-testid="tx-result">
                {t.result}
              </div>
            )}
            {t.message && <div className="tx-message">{t.message}</div>}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** Shows a page's render error as its message (and keeps the rest of the app usable) instead of a blank page. */
export class PageBoundary extends Component<{ children: ReactNode; page: string }, { error: string | null }> {
  state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: readableError(e) };
  }
  componentDidUpdate(prev: { page: string }) {
    if (prev.page !== this.props.page && this.state.error) this.setState({ error: null });
  }
  componentDidCatch(e: unknown, info: ErrorInfo) {
    console.error(e, info.componentStack);
  }
  render() {
    return this.state.error ? <ErrorLine error={`this page failed: ${this.state.error}`} testId="page-error" /> : this.props.children;
  }
}
