// The demo's governance step: the committed listing proposal through the governance Safe and the timelock.
import type { JsonRpcProvider, Wallet } from "ethers";
import type { Deployment } from "../chain/deployment.ts";
import type { SafeProposal } from "../clients/governance.ts";
import { Governance } from "../clients/governance.ts";
import { REPO_ROOT } from "../dev/artifacts.ts";
import { PreconditionError } from "../errors.ts";
import { readProposalFile, resolveProposal } from "../governance/proposal.ts";

export const DEMO_PROPOSAL = "proposals/local-list-collections.json";

/**
 * The demo's governance step, shared with the benchmarks (ts-sdk/bench/crash.ts): the committed proposal
 * (DEMO_PROPOSAL), resolved against deployment `d`, scheduled through the timelock by the deployment's governance Safe
 * (a Safe transaction signed by `owners`, submitted by the first), the delay warped with `warp`, then executed the
 * same way (the Safe's next nonce). Returns the timelock operation id and the two Safe transaction hashes.
 */
export async function applyDemoProposal(
  owners: readonly Wallet[],
  d: Deployment,
  p: JsonRpcProvider,
  warp: (seconds: number) => Promise<void>,
): Promise<{ operationId: string; safe: string; safeTxHashes: string[] }> {
  if (!d.governanceSafe) throw new PreconditionError("the deployment has no governance Safe (config/local.json's governanceSafe)");
  const gov = await Governance.connect(owners[0], d);
  const proposal = await resolveProposal(readProposalFile(DEMO_PROPOSAL, REPO_ROOT), d, p, REPO_ROOT);
  const signed = async (sp: SafeProposal) => {
    for (const o of owners) sp = await gov.safeSign(sp, o);
    return sp;
  };
  const scheduled = await gov.safeSubmit(await signed(await gov.safeSchedule(d.governanceSafe, proposal.calls, proposal.description)));
  await warp(d.timelockDelay);
  const executed = await gov.safeSubmit(await signed(await gov.safeExecute(d.governanceSafe, proposal.calls, proposal.description)));
  return { operationId: scheduled.operationId, safe: d.governanceSafe, safeTxHashes: [scheduled.safeTxHash, executed.safeTxHash] };
}

