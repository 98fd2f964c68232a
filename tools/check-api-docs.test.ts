// check-api-docs.ts on small TypeDoc projects: a fully documented client passes, and each kind of gap is named.
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { CLIENTS, gaps } from "./check-api-docs.ts";

const t = (s: string) => [{ kind: "text", text: s }];
const documented = (name: string) => ({
  name,
  kind: 2048,
  signatures: [
    {
      name,
      kind: 4096,
      comment: { summary: t("Does it."), blockTags: [{ tag: "@returns", content: t("it") }, { tag: "@example", content: t("x()") }] },
      parameters: [{ name: "x", kind: 32768, comment: { summary: t("the x") } }],
    },
  ],
});
const project = (methods: unknown[]) => ({
  name: "sdk",
  kind: 1,
  children: CLIENTS.map((c) => ({ name: c, kind: 128, children: c === "Lender" ? methods : [documented("ok")] })),
});

describe("check-api-docs", () => {
  it("passes when every public method has a summary, its params, @returns and @example", () => {
    assert.deepEqual(gaps(project([documented("deposit")]) as never), []);
  });

  it("names each missing part, skips private, protected and inherited methods, and a missing client", () => {
    const bare = { name: "withdraw", kind: 2048, signatures: [{ name: "withdraw", kind: 4096, parameters: [{ name: "assets", kind: 32768 }] }] };
    const hidden = { ...bare, name: "secret", flags: { isPrivate: true } };
    const inherited = { ...bare, name: "address", flags: { isInherited: true } };
    assert.deepEqual(gaps(project([bare, hidden, inherited]) as never), [
      "Lender.withdraw: no summary",
      "Lender.withdraw: no @param assets",
      "Lender.withdraw: no @returns",
      "Lender.withdraw: no @example",
    ]);
    const p = project([]);
    p.children = p.children.filter((c) => c.name !== "Reporter");
    assert.deepEqual(gaps(p as never), ["Reporter: not in the API reference"]);
  });
});
