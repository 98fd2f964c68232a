// Reporter: an authorised price reporter of the appraisal oracle pushes collection floors (SPEC §6.1). The push is
// checked before anything is sent: the signer must be a reporter, and the price must pass the oracle's deviation
// guard, replayed with the oracle's own port (math/oracle.ts `applyPush`, which throws the typed error the contract
// would revert with).
import type { Signer } from "ethers";
import type { Deployment } from "../chain/deployment.ts";
import { type WriteOptions, type WriteResult, eventOf } from "../chain/tx.ts";
import { NotOwnerError } from "../errors.ts";
import { type OracleCollection, applyPush } from "../math/oracle.ts";
import { StrataClient } from "./base.ts";

export class Reporter extends StrataClient {
  private constructor(signer: Signer, d: Deployment) {
    super(signer, d);
  }

  /**
   * A reporter client over `signer`, refused unless the signer's chain is the deployment's.
   * @param signer the reporter's signer, connected to a provider
   * @param deployment the deployment whose oracle it reports to
   * @returns the client
   * @throws InvalidArgumentError when the signer has no provider
   * @throws ChainMismatchError when the provider's chain is not the deployment's
   * @example
   * ```ts
   * const reporter = await Reporter.connect(wallet, deployment);
   * ```
   */
  static async connect(signer: Signer, deployment: Deployment): Promise<Reporter> {
    return StrataClient.checked(new Reporter(signer, deployment));
  }

  /**
   * Pushes a floor price (reporters only); the deviation guard is checked first with the oracle port.
   * The oracle smooths the floor over its window (an EMA; the first push sets it): `newValue` is the floor after it.
   * @param collection the NFT collection's address (configured in the oracle)
   * @param price the observed floor, in the asset's base units (positive, within the oracle's deviation guard)
   * @param opts the write's options: `gasMarginPct`, `confirmations`, `onSent`
   * @returns `{ hash, receipt, events }` and `newValue`, the oracle's floor after the push (from `PricePushed`, asset
   *   base units)
   * @throws NotOwnerError when the signer is not an authorised price reporter
   * @throws OraclePushError when the oracle would revert the push: UnknownCollectionError, InvalidPriceError or
   *   PriceDeviationTooHighError
   * @throws StrataContractError for a decoded revert of the simulation
   * @example
   * ```ts
   * const reporter = await Reporter.connect(wallet, deployment);
   * const { newValue } = await reporter.pushPrice(deployment.collections[0], parseAmount("42000", 6));
   * ```
   */
  async pushPrice(collection: string, price: bigint, opts: WriteOptions = {}): Promise<WriteResult & { newValue: bigint }> {
    const me = await this.address();
    // the checks' three reads share the write's simulation batch; nothing is sent unless they pass
    const checks = Promise.all([this.contracts.oracle.isReporter(me), this.contracts.oracle.collectionInfo(collection), this.provider.getBlock("latest")]).then(
      ([reporter, info, head]) => {
        if (!reporter) throw new NotOwnerError(`${me} is not an authorised price reporter`);
        const c: OracleCollection = { value: info.value, updatedAt: info.updatedAt, window: info.window, maxDeviationBps: info.maxDeviationBps, maxAge: info.maxAge };
        applyPush(c, price, BigInt(head!.timestamp) + 1n); // throws the typed OraclePushError the contract would revert with
      },
    );
    const r = await this.write(this.contracts.oracle, "pushPrice", [collection, price], opts, checks);
    return { ...r, newValue: eventOf(r, "PricePushed").args.newValue as bigint };
  }
}
