// What every command shares: the global options (RPC, deployment, signer, output), resolved once and lazily; output
// as aligned tables in token units for people or JSON for machines; the error classes that decide the exit code.
import type { Command } from "@commander-js/extra-typings";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import Table from "cli-table3";
import type { JsonRpcProvider, Signer, Wallet } from "ethers";
import { VoidSigner, ZeroAddress, isAddress, getAddress } from "ethers";
import { type Deployment, StrataError, connectRpc, devAccount, formatAmount, parseAmount, walletFromKey } from "../index.ts";
import { readDeploymentFor, walletFromKeystore } from "../node.ts";
import { deploymentAddress } from "../governance/proposal.ts";

/** A usage error: bad or missing option or argument (exit code 2). */
export class UsageError extends StrataError {}

/** The options every command accepts (commander's global options). */
export interface GlobalOptions {
  rpc?: string;
  deployment?: string;
  devAccount?: string;
  keystore?: string;
  json?: boolean;
  verbose?: boolean;
}

export const DEFAULT_DEPLOYMENT = "deployments/local.json";

/** The lazily connected environment of one CLI invocation. */
/** Runs one command action with its Context; the Context's provider is closed afterwards. */
export type Run = <A extends unknown[]>(fn: (ctx: Context, ...args: A) => Promise<void>) => (...args: A) => Promise<void>;

/** A subcommand without arguments, `strata <group> <name>`: `action` runs with its Context (closed afterwards). */
export function leaf(parent: Command, run: Run, name: string, description: string, action: (ctx: Context) => Promise<void>): Command {
  return parent.command(name).description(description).action(run(action)) as unknown as Command;
}

export class Context {
  readonly opts: GlobalOptions;
  #provider?: JsonRpcProvider;
  #deployment?: Deployment;
  #signer?: Signer;
  /** Human progress lines go to stderr, so stdout stays the result (and valid JSON with --json). */
  readonly progress = (line: string): void => void process.stderr.write(`${line}\n`);

  constructor(opts: GlobalOptions) {
    this.opts = opts;
  }

  get json(): boolean {
    return this.opts.json === true;
  }

  /** The deployment file path: --deployment, STRATA_DEPLOYMENT, or deployments/local.json. */
  get deploymentPath(): string {
    return this.opts.deployment ?? process.env.STRATA_DEPLOYMENT ?? DEFAULT_DEPLOYMENT;
  }

  /** The RPC URL: --rpc, RPC_URL, or the `rpcUrl` a local deployment file records (`npm start -- --keep`). */
  rpcUrl(): string {
    const url = this.opts.rpc ?? process.env.RPC_URL;
    if (url) return url;
    // without an RPC URL the deployment file is the only place one can come from: name what is wrong with it
    const path = this.deploymentPath;
    if (!existsSync(path)) {
      throw new UsageError(
        `deployment file ${path} not found: run \`npm start -- --keep\` for a local chain, or pass --deployment <file> (or STRATA_DEPLOYMENT) and --rpc <url>`,
      );
    }
    let recorded: unknown;
    try {
      recorded = (JSON.parse(readFileSync(path, "utf8")) as { rpcUrl?: unknown }).rpcUrl;
    } catch (e) {
      throw new UsageError(`deployment file ${path} is not valid JSON (${(e as Error).message.split("\n")[0]}): regenerate it or pass another with --deployment`);
    }
    if (typeof recorded === "string") return recorded;
    throw new UsageError(`deployment file ${path} records no rpcUrl: pass --rpc <url> or set RPC_URL`);
  }

  async provider(): Promise<JsonRpcProvider> {
    this.#provider ??= await connectRpc(this.rpcUrl());
    return this.#provider;
  }

  /** The deployment, refused unless the RPC is on its chain. */
  async deployment(): Promise<Deployment> {
    if (!this.#deployment) {
      if (!existsSync(this.deploymentPath)) {
        throw new UsageError(`no deployment file ${this.deploymentPath}: pass --deployment <file> (npm start -- --keep writes ${DEFAULT_DEPLOYMENT})`);
      }
      this.#deployment = await readDeploymentFor(this.deploymentPath, await this.provider());
    }
    return this.#deployment;
  }

  /** Whether a signer was given (--dev-account, --keystore or STRATA_PRIVATE_KEY): reads then use its address. */
  hasSigner(): boolean {
    return this.opts.devAccount !== undefined || this.opts.keystore !== undefined || Boolean(process.env.STRATA_PRIVATE_KEY);
  }

  /**
   * A signer that only reads (a VoidSigner on the provider, at `address`, default the zero address): for views that
   * need a client, without asking for a key. `what` names the option the address came from, for the usage error.
   */
  async readOnlySigner(address?: string, what = "--account"): Promise<Signer> {
    if (address !== undefined && !isAddress(address)) throw new UsageError(`${what} must be an address, got "${address}"`);
    return new VoidSigner(address ?? ZeroAddress, await this.provider());
  }

  /**
   * The signer: --dev-account N (chain 31337 only), --keystore <file> (password from STRATA_KEYSTORE_PASSWORD or a
   * prompt), or STRATA_PRIVATE_KEY.
   */
  async signer(): Promise<Signer> {
    if (this.#signer) return this.#signer;
    const provider = await this.provider();
    const o = this.opts;
    const chosen = [o.devAccount !== undefined, o.keystore !== undefined].filter(Boolean).length;
    if (chosen > 1) throw new UsageError("choose one signer: --dev-account or --keystore");
    let w: Wallet;
    if (o.devAccount !== undefined) {
      const n = Number(o.devAccount);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`--dev-account must be an account index, got "${o.devAccount}"`);
      w = await devAccount(n, provider);
    } else if (o.keystore !== undefined) {
      if (!existsSync(o.keystore)) throw new UsageError(`no keystore file ${o.keystore}`);
      const password = process.env.STRATA_KEYSTORE_PASSWORD ?? (await promptHidden(`password for ${o.keystore}: `));
      try {
        w = await walletFromKeystore(o.keystore, password, provider);
      } catch (e) {
        throw new StrataError(`cannot decrypt keystore ${o.keystore}: ${(e as Error).message}`);
      }
    } else if (process.env.STRATA_PRIVATE_KEY) {
      w = walletFromKey(process.env.STRATA_PRIVATE_KEY, provider);
    } else {
      throw new UsageError("this command sends a transaction: give a signer (--dev-account N on a local chain, --keystore <file>, or STRATA_PRIVATE_KEY)");
    }
    this.#signer = w;
    return w;
  }

  /** The private key of the signer (deploy hands it to forge script). */
  async privateKey(): Promise<string> {
    const s = (await this.signer()) as Wallet;
    if (!s.privateKey) throw new UsageError("this signer has no exportable private key");
    return s.privateKey;
  }

  /** Resolves a collection given as an address, a deployment key ("collections[1]") or an index ("1"). */
  async collection(s: string): Promise<string> {
    if (isAddress(s)) return getAddress(s);
    const d = await this.deployment();
    const key = /^\d+$/.test(s) ? `collections[${s}]` : s;
    const a = deploymentAddress(d, key);
    if (!a) throw new UsageError(`"${s}" is not a collection address, index or deployment key (the deployment lists ${d.collections.length})`);
    return a;
  }

  /** Prints a result: JSON (bigints as decimal strings) with --json, else the human text. */
  print(result: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${toJson(result)}\n` : `${human()}\n`);
  }

  /** Per-transaction progress (stderr), silent with --json. */
  onSent = (hash: string): void => {
    if (!this.json) this.progress(`  sent ${hash}, waiting for the receipt...`);
  };

  destroy(): void {
    this.#provider?.destroy();
  }
}

export function toJson(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** An aligned two-column table of label/value rows. */
export function kvTable(rows: [string, string][], head?: [string, string]): string {
  const t = new Table({ head: head ?? [], style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r);
  return t.toString();
}

/** An aligned table with a header row. */
export function table(head: string[], rows: string[][]): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r);
  return t.toString();
}

/** Parses a token amount in token units ("1,500.25"); a bad one is a usage error. */
export function amountArg(s: string, decimals: number, what: string): bigint {
  try {
    return parseAmount(s, decimals);
  } catch (e) {
    throw new UsageError(`${what}: ${(e as Error).message}`);
  }
}

/** Parses a non-negative integer argument (ids, days, counts). */
/** An address argument, checksummed; anything else is a usage error. */
export function addressArg(s: string, what: string): string {
  if (!isAddress(s)) throw new UsageError(`${what} must be an address (0x + 40 hex digits), got "${s}"`);
  return getAddress(s);
}

export function intArg(s: string, what: string): bigint {
  if (!/^\d+$/.test(s)) throw new UsageError(`${what} must be a non-negative integer, got "${s}"`);
  return BigInt(s);
}

/** "senior" | "junior" (or "s"/"j"). */
export function trancheArg(s: string): "senior" | "junior" {
  const t = s.toLowerCase();
  if (t === "senior" || t === "s") return "senior";
  if (t === "junior" || t === "j") return "junior";
  throw new UsageError(`tranche must be "senior" or "junior", got "${s}"`);
}

export function fmt(x: bigint, decimals: number, symbol?: string): string {
  return formatAmount(x, decimals, { maxDecimals: Math.min(decimals, 4), symbol });
}

async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError("the keystore password is needed: set STRATA_KEYSTORE_PASSWORD (stdin is not a terminal)");
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question("", resolve));
  rl.close();
  process.stderr.write("\n");
  return answer;
}

