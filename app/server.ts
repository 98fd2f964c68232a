// Serves the built web app (app/dist) against one RPC and one deployment file:
//   GET  /config.json  the deployment (validated by the SDK) and where the RPC is
//   POST /rpc          JSON-RPC forwarded to the node (the page never needs the node's CORS settings)
//   *    /indexer/*    forwarded to the indexer (GraphQL, /status), when one is configured (--indexer, STRATA_INDEXER_URL)
//   GET  /*            the single-page app
// Usage: node app/server.ts [--rpc URL] [--deployment FILE] [--indexer URL] [--port N] [--host H]
// Defaults: the deployment `npm start -- --keep` leaves (deployments/local.json) and the RPC recorded in it, else
// RPC_URL, else http://127.0.0.1:8545.
import { existsSync, readFileSync, statSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDeployment } from "../ts-sdk/src/chain/deployment.ts";

const APP_DIR = fileURLToPath(new URL(".", import.meta.url));
export const REPO_ROOT = resolve(APP_DIR, "..");
export const DEFAULT_DEPLOYMENT = "deployments/local.json";
export const DEFAULT_RPC = "http://127.0.0.1:8545";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface AppServerOptions {
  /** The JSON-RPC node the page talks to (through /rpc). Default: the deployment's `rpcUrl`, RPC_URL, 127.0.0.1:8545. */
  rpcUrl?: string;
  /** The deployment file (read on every /config.json, so a redeploy needs no restart). */
  deploymentPath?: string;
  /** The indexer (indexer/, `npm run indexer`): the page's history panels read it through /indexer. Absent: node reads. */
  indexerUrl?: string;
  port?: number;
  host?: string;
  distDir?: string;
}

export interface AppServer {
  url: string;
  rpcUrl: string;
  indexerUrl: string | undefined;
  deploymentPath: string;
  close: () => Promise<void>;
}

/** The RPC URL recorded in a deployment file by the demo (`rpcUrl` or `rpc`), if any. */
function recordedRpc(path: string): string | undefined {
  try {
    const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const url = raw.rpcUrl ?? raw.rpc;
    return typeof url === "string" ? url : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: string | Buffer, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startAppServer(opts: AppServerOptions = {}): Promise<AppServer> {
  const deploymentPath = resolve(REPO_ROOT, opts.deploymentPath ?? process.env.STRATA_DEPLOYMENT ?? DEFAULT_DEPLOYMENT);
  const rpcUrl = opts.rpcUrl ?? process.env.RPC_URL ?? recordedRpc(deploymentPath) ?? DEFAULT_RPC;
  const distDir = resolve(opts.distDir ?? join(APP_DIR, "dist"));
  const indexerUrl = (opts.indexerUrl ?? process.env.STRATA_INDEXER_URL)?.replace(/\/+$/, "");
  const indexer = indexerUrl ? { indexerPath: "/indexer", indexerUrl } : {};
  if (!existsSync(join(distDir, "index.html"))) throw new Error(`no built app in ${distDir}: run \`npm run build:app\` first`);

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/config.json") {
      try {
        const deployment = parseDeployment(JSON.parse(readFileSync(deploymentPath, "utf8")), deploymentPath);
        return send(res, 200, JSON.stringify({ rpcPath: "/rpc", rpcUrl, deploymentPath, deployment, ...indexer }));
      } catch (e) {
        return send(res, 200, JSON.stringify({ rpcPath: "/rpc", rpcUrl, deploymentPath, ...indexer, error: `cannot use the deployment ${deploymentPath}: ${(e as Error).message}` }));
      }
    }
    if (url.pathname === "/rpc") {
      if (req.method !== "POST") return send(res, 405, JSON.stringify({ error: "POST only" }));
      try {
        const upstream = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array(await readBody(req)) });
        return send(res, upstream.status, Buffer.from(await upstream.arrayBuffer()));
      } catch (e) {
        return send(res, 502, JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `cannot reach the node at ${rpcUrl}: ${(e as Error).message}` } }));
      }
    }
    if (url.pathname.startsWith("/indexer/") && indexerUrl) {
      try {
        const body = req.method === "POST" ? new Uint8Array(await readBody(req)) : undefined;
        const upstream = await fetch(`${indexerUrl}${url.pathname.slice("/indexer".length)}${url.search}`, {
          method: req.method,
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          body,
        });
        return send(res, upstream.status, Buffer.from(await upstream.arrayBuffer()), upstream.headers.get("content-type") ?? "application/json");
      } catch (e) {
        return send(res, 502, JSON.stringify({ error: `cannot reach the indexer at ${indexerUrl}: ${(e as Error).message}` }));
      }
    }
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, "");
    let file = join(distDir, rel);
    if (!file.startsWith(distDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(distDir, "index.html");
    send(res, 200, readFileSync(file), TYPES[extname(file)] ?? "application/octet-stream");
  };

  const server: Server = createServer((req, res) => {
    handler(req, res).catch((e: Error) => send(res, 500, JSON.stringify({ error: e.message })));
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(opts.port ?? 0, host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://${host}:${port}`,
    rpcUrl,
    indexerUrl,
    deploymentPath,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  startAppServer({ rpcUrl: arg("rpc"), deploymentPath: arg("deployment"), indexerUrl: arg("indexer"), port: Number(arg("port") ?? process.env.PORT ?? 5173), host: arg("host") })
    .then((s) => {
      console.log(`Strata app on ${s.url}  (RPC ${s.rpcUrl}, deployment ${s.deploymentPath}, ${s.indexerUrl ? `indexer ${s.indexerUrl}` : "no indexer: history from node reads"})`);
      if (!existsSync(s.deploymentPath)) console.log(`no deployment file yet: run \`npm start -- --keep\` (or pass --deployment FILE)`);
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
