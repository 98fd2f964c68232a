import { ANVIL_KEYS, LOCAL_CHAIN_ID } from "@strata-protocol/sdk";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { StrataProvider, useStrata } from "./context.tsx";
import { short } from "./format.ts";
import { BorrowPage } from "./pages/Borrow.tsx";
import { LendPage } from "./pages/Lend.tsx";
import { LiquidationsPage } from "./pages/Liquidations.tsx";
import { PoolPage } from "./pages/Pool.tsx";
import { PageBoundary, TxPanel } from "./ui.tsx";
import "./style.css";

const PAGES = {
  pool: { title: "Pool", Page: PoolPage },
  lend: { title: "Lend", Page: LendPage },
  borrow: { title: "Borrow", Page: BorrowPage },
  liquidations: { title: "Liquidations", Page: LiquidationsPage },
} as const;
type PageKey = keyof typeof PAGES;

function pageFromHash(): PageKey {
  const k = window.location.hash.replace(/^#\/?/, "");
  return k in PAGES ? (k as PageKey) : "pool";
}

/** Anvil's dev accounts, named after the roles config/local.json and `npm start` (the demo) give them. */
const DEV_ROLES = [
  "deployer",
  "governance Safe owner",
  "governance + guardian Safe owner",
  "treasury, Safe owner, demo keeper",
  "reporter",
  "demo junior lender",
  "demo senior lender",
  "demo borrower A",
  "demo borrower B",
  "demo senior lender 2",
];

function WalletBar() {
  const s = useStrata();
  const local = s.chainId === LOCAL_CHAIN_ID;
  return (
    <div className="wallet" data-testid="wallet">
      {s.hasInjected ? (
        s.wallet.address ? (
          <span data-testid="wallet-address">{short(s.wallet.address)} (injected wallet)</span>
        ) : (
          <button onClick={() => void s.connectInjected()}>Connect wallet</button>
        )
      ) : local ? (
        <label>
          Dev account{" "}
          <select
            data-testid="dev-account"
            value={s.wallet.devIndex ?? ""}
            onChange={(e) => s.selectDevAccount(e.target.value === "" ? null : Number(e.target.value))}
          >
            <option value="">read only</option>
            {ANVIL_KEYS.map((_, i) => (
              <option key={i} value={i}>
                #{i} {DEV_ROLES[i] ?? ""}
              </option>
            ))}
          </select>
          {s.wallet.address && (
            <>
              {" "}
              <span className="muted" data-testid="wallet-address">
                {short(s.wallet.address)}
              </span>
            </>
          )}
        </label>
      ) : (
        <span className="muted">read only: no injected wallet (dev accounts exist only on chain {LOCAL_CHAIN_ID})</span>
      )}
      {s.walletError && (
        <div className="error" data-testid="wallet-error">
          {s.walletError}
        </div>
      )}
    </div>
  );
}

function Shell() {
  const s = useStrata();
  const [page, setPage] = useState<PageKey>(pageFromHash);
  useEffect(() => {
    const on = () => setPage(pageFromHash());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  const { Page } = PAGES[page];
  return (
    <>
      <header>
        <h1>Strata</h1>
        <nav>
          {(Object.keys(PAGES) as PageKey[]).map((k) => (
            <a key={k} href={`#/${k}`} className={k === page ? "active" : ""} data-testid={`nav-${k}`}>
              {PAGES[k].title}
            </a>
          ))}
        </nav>
        <WalletBar />
      </header>
      <div className="chainline muted" data-testid="chainline">
        chain {s.chainId} · block {s.block.number} · {s.assetSymbol} · deployment {s.config.deploymentPath.split("/").pop()}
      </div>
      <main data-testid={`page-${page}`}>
        <PageBoundary page={page}>
          <Page />
        </PageBoundary>
      </main>
      <TxPanel />
    </>
  );
}

function App() {
  return (
    <StrataProvider>
      {(boot) =>
        boot.state === "ready" ? (
          <Shell />
        ) : boot.state === "loading" ? (
          <p className="boot">Connecting…</p>
        ) : (
          <div className="boot">
            <h1>Strata</h1>
            <p className="error" data-testid="boot-error">
              {boot.message}
            </p>
            <p className="muted">
              Start a local chain with a deployment (<code>npm start -- --keep</code>) or serve the app against yours:{" "}
              <code>npm run app -- --rpc URL --deployment FILE</code>.
            </p>
          </div>
        )
      }
    </StrataProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
