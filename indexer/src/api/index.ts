// The indexer's HTTP API: Ponder's GraphQL (at / and /graphql) and SQL over HTTP (/sql/*, @ponder/client's protocol),
// and one read for charts, GET /history/pool?maxPoints=N[&fromBlock=a][&toBlock=b]: the pool snapshots thinned evenly
// to N in the database (the i-th of N is row round(i·(n−1)/(N−1)) of the n in block and log order; the first and the
// last kept), as JSON with amounts as decimal strings. The SDK's fetchHistory uses it when asked for maxPoints.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { and, asc, client, count, eq, graphql, gte, inArray, lte, replaceBigInts, sql } from "ponder";

const app = new Hono();
app.use("/sql/*", client({ db, schema }));
app.use("/", graphql({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

app.get("/history/pool", async (c) => {
  const int = (name: string) => {
    const v = c.req.query(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
    return Number(v);
  };
  let maxPoints: number | undefined;
  let fromBlock: number | undefined;
  let toBlock: number | undefined;
  try {
    maxPoints = int("maxPoints");
    fromBlock = int("fromBlock");
    toBlock = int("toBlock");
  } catch (e) {
    return c.json({ error: (e as Error).message }, 400);
  }
  const t = schema.poolSnapshot;
  const range = and(fromBlock === undefined ? undefined : gte(t.blockNumber, BigInt(fromBlock)), toBlock === undefined ? undefined : lte(t.blockNumber, BigInt(toBlock)));
  const [{ n }] = await db.select({ n: count() }).from(t).where(range);
  let rows: (typeof t.$inferSelect)[];
  if (maxPoints === undefined || n <= maxPoints) {
    rows = await db.select().from(t).where(range).orderBy(asc(t.blockNumber), asc(t.logIndex));
  } else {
    const m = Math.max(2, maxPoints);
    const wanted = [...new Set(Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1))))];
    const numbered = db
      .select({ id: t.id, rn: sql<number>`(row_number() over (order by ${t.blockNumber}, ${t.logIndex}) - 1)`.as("rn") })
      .from(t)
      .where(range)
      .as("numbered");
    rows = (
      await db
        .select({ row: t })
        .from(t)
        .innerJoin(numbered, eq(numbered.id, t.id))
        .where(inArray(numbered.rn, wanted))
        .orderBy(asc(t.blockNumber), asc(t.logIndex))
    ).map((r) => r.row);
  }
  return c.json({ total: n, items: replaceBigInts(rows, (v) => String(v)) });
});

export default app;
