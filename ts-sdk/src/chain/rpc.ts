// Raw JSON-RPC for the large reads of a scan (a 10,000-loan book is megabytes of hex). ethers' JsonRpcProvider decodes
// a response body byte by byte into a string before parsing it, which measured 2-3x the node's own time on a 2 MB
// eth_call; the platform's `fetch` does the same in milliseconds. Used only for an HTTP JsonRpcProvider (its URL and
// headers are reused); any other provider (browser wallet, WebSocket, custom) goes through its own `send`.
import { JsonRpcProvider, type Provider } from "ethers";
import { StrataError } from "../errors.ts";

/** Why a raw JSON-RPC request failed: the node's error (code, message, data), or the HTTP status. */
export class RpcRequestError extends StrataError {
  readonly code: number | null;
  readonly data: unknown;
  constructor(method: string, message: string, code: number | null = null, data: unknown = undefined) {
    super(`${method}: ${message}`);
    this.code = code;
    this.data = data;
  }
}

let nextId = 1;

/** Sends one JSON-RPC request: over `fetch` for an HTTP JsonRpcProvider, else through `provider.send`. */
export async function rpcSend<T>(provider: Provider, method: string, params: unknown[]): Promise<T> {
  if (provider instanceof JsonRpcProvider && typeof fetch === "function") {
    const conn = provider._getConnection();
    if (conn.url.startsWith("http")) {
      const headers: Record<string, string> = { ...conn.headers, "content-type": "application/json" };
      const res = await fetch(conn.url, { method: "POST", headers, body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }) });
      if (!res.ok) throw new RpcRequestError(method, `HTTP ${res.status} ${res.statusText}`);
      const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
      if (body.error) throw new RpcRequestError(method, body.error.message, body.error.code, body.error.data);
      return body.result as T;
    }
  }
  const send = (provider as unknown as { send?: (m: string, p: unknown[]) => Promise<T> }).send;
  if (typeof send !== "function") throw new RpcRequestError(method, "the provider cannot send raw JSON-RPC requests");
  return send.call(provider, method, params);
}
