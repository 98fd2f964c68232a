// rpcSend: raw fetch for an HTTP JsonRpcProvider (its URL and headers), the provider's own `send` otherwise, and the
// node's error as a typed RpcRequestError.
import { type Server, createServer } from "node:http";
import { FetchRequest, JsonRpcProvider } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RpcRequestError, rpcSend } from "../src/index.ts";

let server: Server;
let url = "";
const seen: { auth: string | undefined; body: { method: string; params: unknown[] } }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as { id: number; method: string; params: unknown[] };
      seen.push({ auth: req.headers.authorization, body });
      res.setHeader("content-type", "application/json");
      if (body.method === "eth_fail") {
        res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, error: { code: 3, message: "execution reverted", data: "0xdeadbeef" } }));
      } else if (body.method === "http_500") {
        res.statusCode = 500;
        res.end("{}");
      } else {
        res.end(JSON.stringify({ jsonrpc: "2.0", id: body.id, result: { echo: body.params } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  url = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("rpcSend", () => {
  it("posts to an HTTP JsonRpcProvider's URL with its headers, and returns the result", async () => {
    const req = new FetchRequest(url);
    req.setHeader("authorization", "Bearer k");
    const p = new JsonRpcProvider(req, 31337, { staticNetwork: true });
    expect(await rpcSend(p, "eth_echo", [1, "a"])).toEqual({ echo: [1, "a"] });
    expect(seen.at(-1)).toEqual({ auth: "Bearer k", body: expect.objectContaining({ method: "eth_echo", params: [1, "a"] }) });
    p.destroy();
  });

  it("throws the node's error as RpcRequestError with its code and data, and an HTTP failure with its status", async () => {
    const p = new JsonRpcProvider(url, 31337, { staticNetwork: true });
    const e = await rpcSend(p, "eth_fail", []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcRequestError);
    expect((e as RpcRequestError).code).toBe(3);
    expect((e as RpcRequestError).data).toBe("0xdeadbeef");
    expect((e as Error).message).toBe("eth_fail: execution reverted");
    await expect(rpcSend(p, "http_500", [])).rejects.toThrow(/http_500: HTTP 500/);
    p.destroy();
  });

  it("uses any other provider's own send, and refuses a provider that cannot send", async () => {
    const calls: string[] = [];
    const custom = { send: async (m: string, params: unknown[]) => (calls.push(m), { via: "send", params }) };
    expect(await rpcSend(custom as never, "eth_x", [7])).toEqual({ via: "send", params: [7] });
    expect(calls).toEqual(["eth_x"]);
    await expect(rpcSend({} as never, "eth_x", [])).rejects.toBeInstanceOf(RpcRequestError);
  });
});
