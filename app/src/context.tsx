// The app's one connection to the chain, all through the SDK: the deployment (validated and chain-checked by the
// SDK), a read provider, the collections' ERC-721 names, the wallet (an injected EIP-1193 provider through ethers' BrowserProvider, else one of
// anvil's dev accounts on chain 31337), the role clients over that wallet, and the pending-transaction list.
import {
  Borrower,
  type Deployment,
  type IndexerOptions,
  Keeper,
  LOCAL_CHAIN_ID,
  Lender,
  type WriteOptions,
  checkChain,
  connectRpc,
  devAccount,
  erc20At,
  erc721At,
  parseDeployment,
} from "@strata-protocol/sdk";
import { BrowserProvider, type Eip1193Provider, type JsonRpcProvider, type Signer } from "ethers";
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { readableError, short } from "./format.ts";

declare global {
  interface Window {
    ethereum?: Eip1193Provider;
  }
}

export interface AppConfig {
  rpcPath: string;
  rpcUrl: string;
  deploymentPath: string;
  deployment?: unknown;
  /** Where the app server forwards to the indexer (`/indexer`), when one is configured. */
  indexerPath?: string;
  indexerUrl?: string;
  error?: string;
}

export type TxState = "checking" | "sent" | "confirmed" | "failed";
export interface TxEntry {
  id: number;
  label: string;
  state: TxState;
  hashes: string[];
  message?: string;
  /** What the confirmed transaction did, read from its receipt (the SDK write's result). */
  result?: string;
  at: number;
}

export interface WalletInfo {
  kind: "injected" | "dev" | "none";
  signer: Signer | null;
  address: string | null;
  devIndex: number | null;
}

export interface Clients {
  lender: Lender;
  borrower: Borrower;
  keeper: Keeper;
}

export interface Strata {
  config: AppConfig;
  /** The indexer through the app server (history panels read it), or null: they fall back to node reads. */
  indexer: IndexerOptions | null;
  deployment: Deployment;
  provider: JsonRpcProvider;
  chainId: number;
  /** Latest block number and timestamp seen (polled); pages refetch when it changes. */
  block: { number: number; timestamp: bigint; seenAt: number };
  /** Chain time now: the latest block's timestamp plus the wall-clock seconds since it was seen. */
  chainNow: () => bigint;
  wallet: WalletInfo;
  clients: Clients | null;
  walletError: string | null;
  selectDevAccount: (index: number | null) => void;
  connectInjected: () => Promise<void>;
  hasInjected: boolean;
  assetDecimals: number;
  assetSymbol: string;
  /** A collection for people: its ERC-721 `name()` with the address shortened ("Dev Collection 1 (0xCf7E…0Fc9)"). */
  collectionLabel: (address: string) => string;
  /** Its ERC-721 `name()` alone (the shortened address when the name cannot be read). */
  collectionName: (address: string) => string;
  txs: TxEntry[];
  /**
   * Runs one user action (an SDK write) and tracks it in the transaction list; `describe` words what the confirmed
   * write did from its result (amounts the chain took, not the ones asked). Returns null when it failed.
   */
  run: <T>(label: string, action: (opts: WriteOptions) => Promise<T>, describe?: (result: T) => string) => Promise<T | null>;
  /** Bumped after every confirmed transaction: pages refetch. */
  version: number;
}

const Ctx = createContext<Strata | null>(null);

export function useStrata(): Strata {
  const s = useContext(Ctx);
  if (!s) throw new Error("useStrata outside <StrataProvider>");
  return s;
}

type Boot =
  | { state: "loading" }
  | { state: "error"; message: string; config?: AppConfig }
  | {
      state: "ready";
      config: AppConfig;
      deployment: Deployment;
      provider: JsonRpcProvider;
      chainId: number;
      decimals: number;
      symbol: string;
      /** ERC-721 `name()` of each deployment collection, by lowercase address (absent when the call fails). */
      collectionNames: Record<string, string>;
    };

async function boot(): Promise<Boot> {
  const res = await fetch("./config.json", { cache: "no-store" });
  const config = (await res.json()) as AppConfig;
  if (config.error || !config.deployment) return { state: "error", message: config.error ?? "no deployment", config };
  const provider = await connectRpc(new URL(config.rpcPath, window.location.href).toString());
  const deployment = parseDeployment(config.deployment, config.deploymentPath);
  await checkChain(deployment, provider, config.deploymentPath);
  const asset = erc20At(deployment.asset, provider);
  const [decimals, symbol, names] = await Promise.all([
    asset.decimals(),
    asset.symbol(),
    Promise.all(deployment.collections.map((a) => erc721At(a, provider).name().catch(() => null))),
  ]);
  const collectionNames: Record<string, string> = {};
  deployment.collections.forEach((a, i) => {
    if (names[i]) collectionNames[a.toLowerCase()] = names[i];
  });
  return { state: "ready", config, deployment, provider, chainId: deployment.chainId, decimals: Number(decimals), symbol, collectionNames };
}

const DEV_ACCOUNT_KEY = "strata.devAccount";

export function StrataProvider({ children }: { children: (boot: Boot) => ReactNode }) {
  const [b, setBoot] = useState<Boot>({ state: "loading" });
  useEffect(() => {
    boot().then(setBoot, (e: unknown) => setBoot({ state: "error", message: readableError(e) }));
  }, []);
  if (b.state !== "ready") return <>{children(b)}</>;
  return <Connected boot={b}>{children(b)}</Connected>;
}

function Connected({ boot: b, children }: { boot: Extract<Boot, { state: "ready" }>; children: ReactNode }) {
  const { provider, deployment } = b;
  const [block, setBlock] = useState({ number: -1, timestamp: 0n, seenAt: Date.now() });
  const [version, setVersion] = useState(0);
  const [wallet, setWallet] = useState<WalletInfo>({ kind: "none", signer: null, address: null, devIndex: null });
  const [clients, setClients] = useState<Clients | null>(null);
  const [walletError, setWalletError] = useState<string | null>(null);
  const [txs, setTxs] = useState<TxEntry[]>([]);
  const nextTx = useRef(1);

  // Poll the head: one eth_getBlockByNumber a second.
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      try {
        const h = await provider.getBlock("latest");
        if (h && !stop) setBlock((old) => (old.number === h.number ? old : { number: h.number, timestamp: BigInt(h.timestamp), seenAt: Date.now() }));
      } catch {
        // the next tick retries
      }
    };
    void tick();
    const t = setInterval(tick, 1000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [provider]);

  const adoptSigner = useCallback(
    async (signer: Signer, kind: WalletInfo["kind"], devIndex: number | null) => {
      setWalletError(null);
      try {
        const [lender, borrower, keeper] = await Promise.all([
          Lender.connect(signer, deployment),
          Borrower.connect(signer, deployment),
          Keeper.connect(signer, deployment),
        ]);
        setWallet({ kind, signer, address: await signer.getAddress(), devIndex });
        setClients({ lender, borrower, keeper });
      } catch (e) {
        setWallet({ kind: "none", signer: null, address: null, devIndex: null });
        setClients(null);
        setWalletError(readableError(e));
      }
    },
    [deployment],
  );

  const selectDevAccount = useCallback(
    (index: number | null) => {
      if (index === null) {
        localStorage.removeItem(DEV_ACCOUNT_KEY);
        setWallet({ kind: "none", signer: null, address: null, devIndex: null });
        setClients(null);
        return;
      }
      localStorage.setItem(DEV_ACCOUNT_KEY, String(index));
      devAccount(index, provider).then(
        (w) => adoptSigner(w, "dev", index),
        (e: unknown) => setWalletError(readableError(e)),
      );
    },
    [provider, adoptSigner],
  );

  const connectInjected = useCallback(async () => {
    if (!window.ethereum) return;
    try {
      const bp = new BrowserProvider(window.ethereum);
      await bp.send("eth_requestAccounts", []);
      await adoptSigner(await bp.getSigner(), "injected", null);
    } catch (e) {
      setWalletError(readableError(e));
    }
  }, [adoptSigner]);

  // Restore the dev account chosen before a reload (local chain only).
  useEffect(() => {
    const saved = localStorage.getItem(DEV_ACCOUNT_KEY);
    if (saved !== null && b.chainId === LOCAL_CHAIN_ID && !window.ethereum) selectDevAccount(Number(saved));
  }, [b.chainId, selectDevAccount]);

  const run = useCallback(async <T,>(label: string, action: (opts: WriteOptions) => Promise<T>, describe?: (result: T) => string): Promise<T | null> => {
    const id = nextTx.current++;
    const patch = (p: Partial<TxEntry>) => setTxs((all) => all.map((t) => (t.id === id ? { ...t, ...p } : t)));
    setTxs((all) => [{ id, label, state: "checking" as TxState, hashes: [], at: Date.now() }, ...all].slice(0, 20));
    try {
      const result = await action({
        onSent: (hash) => setTxs((all) => all.map((t) => (t.id === id ? { ...t, state: "sent", hashes: [...t.hashes, hash] } : t))),
      });
      patch({ state: "confirmed", result: describe?.(result) });
      setVersion((v) => v + 1);
      return result;
    } catch (e) {
      patch({ state: "failed", message: readableError(e) });
      setVersion((v) => v + 1);
      return null;
    }
  }, []);

  const value = useMemo<Strata>(
    () => ({
      config: b.config,
      indexer: b.config.indexerPath ? { url: new URL(b.config.indexerPath, window.location.href).toString().replace(/\/+$/, "") } : null,
      deployment,
      provider,
      chainId: b.chainId,
      block,
      chainNow: () => block.timestamp + BigInt(Math.floor((Date.now() - block.seenAt) / 1000)),
      wallet,
      clients,
      walletError,
      selectDevAccount,
      connectInjected,
      hasInjected: typeof window.ethereum !== "undefined",
      assetDecimals: b.decimals,
      assetSymbol: b.symbol,
      collectionLabel: (address: string) => {
        const name = b.collectionNames[address.toLowerCase()];
        return name ? `${name} (${short(address)})` : short(address);
      },
      collectionName: (address: string) => b.collectionNames[address.toLowerCase()] ?? short(address),
      txs,
      run,
      version,
    }),
    [b, deployment, provider, block, wallet, clients, walletError, selectDevAccount, connectInjected, txs, run, version],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/**
 * Loads `fetcher()` again whenever the chain moves (new block), a transaction settles, or `deps` change. Returns the
 * last value, the error message of the last failed load, and whether the first load is still running.
 */
export function useChainData<T>(fetcher: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; loading: boolean } {
  const { block, version } = useStrata();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    fetcher().then(
      (d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(readableError(e));
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [block.number, version, ...deps]);
  return { data, error, loading };
}
