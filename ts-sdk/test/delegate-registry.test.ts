// The local delegate registry (script/dev/DevDelegateRegistry.sol) and the pool's interface subset
// (src/interfaces/IDelegateRegistry.sol) against the official delegate.xyz v2 ABI shipped in @delegatexyz/sdk:
// same function selectors (with the same outputs), event topics and errors, so the pool's integration is checked
// against the real interface, not our guess of it.
import { DelegateV2 } from "@delegatexyz/sdk";
import { type EventFragment, type FunctionFragment, Interface, type InterfaceAbi } from "ethers";
import { http } from "viem";
import { describe, expect, it } from "vitest";
import { loadArtifact } from "../src/dev/artifacts.ts";

const CANONICAL_V2 = "0x00000000000000447e69651d841bd8d104bed493";

// The SDK exposes the ABI through its client; nothing is sent over the (unused) transport.
const sdk = new DelegateV2({ userTransport: http("http://127.0.0.1:9") });
const official = new Interface(sdk.contractConfig.abi as unknown as InterfaceAbi);

function functions(iface: Interface): Map<string, string> {
  const out = new Map<string, string>();
  iface.forEachFunction((f: FunctionFragment) =>
    out.set(f.selector, `${f.format("sighash")} ${f.stateMutability} returns (${f.outputs.map((o) => o.format()).join(",")})`),
  );
  return out;
}

function events(iface: Interface): Map<string, string> {
  const out = new Map<string, string>();
  iface.forEachEvent((e: EventFragment) =>
    out.set(e.topicHash, `${e.format("sighash")} indexed:${e.inputs.map((i) => (i.indexed ? 1 : 0)).join("")}`),
  );
  return out;
}

function errors(iface: Interface): string[] {
  const out: string[] = [];
  iface.forEachError((e) => out.push(e.selector));
  return out.sort();
}

describe("delegate.xyz v2 ABI", () => {
  it("the SDK's v2 client is the canonical registry", () => {
    expect(sdk.contractConfig.address.toLowerCase()).toBe(CANONICAL_V2);
    expect(functions(official).size).toBe(20); // v2: 20 functions, 5 events, 1 error
  });

  it("DevDelegateRegistry has exactly the official function selectors, outputs and mutability", () => {
    const local = functions(new Interface(loadArtifact("DevDelegateRegistry").abi as InterfaceAbi));
    expect([...local.keys()].sort()).toEqual([...functions(official).keys()].sort());
    expect(Object.fromEntries(local)).toEqual(Object.fromEntries(functions(official)));
  });

  it("DevDelegateRegistry has exactly the official event topics (with the same indexed inputs) and errors", () => {
    const iface = new Interface(loadArtifact("DevDelegateRegistry").abi as InterfaceAbi);
    expect(Object.fromEntries(events(iface))).toEqual(Object.fromEntries(events(official)));
    expect(errors(iface)).toEqual(errors(official));
  });

  it("the pool's IDelegateRegistry is a subset of the official ABI, with delegateERC721 and checkDelegateForERC721", () => {
    const subset = new Interface(loadArtifact("IDelegateRegistry").abi as InterfaceAbi);
    const all = functions(official);
    const own = functions(subset);
    expect([...own.values()].map((s) => s.split("(")[0]).sort()).toEqual(["checkDelegateForERC721", "delegateERC721"]);
    for (const [selector, signature] of own) expect(all.get(selector)).toBe(signature);
    const allEvents = events(official);
    for (const [topic, signature] of events(subset)) expect(allEvents.get(topic)).toBe(signature);
    expect(events(subset).size).toBe(1);
  });

  it("a changed signature is caught (the comparison can fail)", () => {
    const tampered = new Interface([
      "function delegateERC721(address to, address contract_, uint256 tokenId, bytes32 rights) payable returns (bytes32)",
    ]);
    const [selector] = functions(tampered).keys();
    expect(functions(official).has(selector!)).toBe(false);
  });
});
