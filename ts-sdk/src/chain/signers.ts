// Providers and signers: an RPC connection that fails with one readable line, wallets from a private key, and anvil's
// dev accounts (refused on any chain but 31337).
import { JsonRpcProvider, type Provider, Wallet } from "ethers";
import { StrataError } from "../errors.ts";

/** Anvil's well-known dev accounts (mnemonic "test test … junk"): index → private key. Local use only. */
export const ANVIL_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
] as const;

/** The chain id of anvil and Hardhat's local node. */
export const LOCAL_CHAIN_ID = 31337;

export class RpcError extends StrataError {}

/**
 * A JSON-RPC provider for `url` whose network is detected once and checked: an unreachable or wrong URL throws an
 * RpcError with one line instead of ethers' retry loop.
 */
export async function connectRpc(url: string, opts: { pollingInterval?: number; timeoutMs?: number } = {}): Promise<JsonRpcProvider> {
  let chainId: bigint;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    const body = (await res.json()) as { result?: string };
    if (!body.result) throw new StrataError("the node gave no eth_chainId result");
    chainId = BigInt(body.result);
  } catch (e) {
    throw new RpcError(`cannot reach a JSON-RPC node at ${url}: ${(e as Error).message}`);
  }
  return new JsonRpcProvider(url, Number(chainId), {
    staticNetwork: true,
    pollingInterval: opts.pollingInterval ?? (chainId === BigInt(LOCAL_CHAIN_ID) ? 50 : 4000),
    // a local node answers at once: no 10 ms wait per round trip to gather a batch (the requests a call issues
    // together are still one batch)
    ...(chainId === BigInt(LOCAL_CHAIN_ID) ? { batchStallTime: 0 } : {}),
    cacheTimeout: -1,
  });
}

/** A wallet for `privateKey` on `provider`. */
export function walletFromKey(privateKey: string, provider: Provider): Wallet {
  try {
    return new Wallet(privateKey, provider);
  } catch {
    throw new StrataError("the private key is not a 32-byte hex string");
  }
}

/** Anvil dev account `index`, refused unless `provider` is on chain 31337. */
export async function devAccount(index: number, provider: Provider): Promise<Wallet> {
  const { chainId } = await provider.getNetwork();
  if (Number(chainId) !== LOCAL_CHAIN_ID) {
    throw new StrataError(`dev accounts exist only on the local chain ${LOCAL_CHAIN_ID}; this RPC is chain ${chainId}`);
  }
  const key = ANVIL_KEYS[index];
  if (!key) throw new StrataError(`dev account ${index} does not exist (0..${ANVIL_KEYS.length - 1})`);
  return new Wallet(key, provider);
}
