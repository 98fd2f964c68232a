// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {LoanInterest} from "../../src/interest/LoanInterest.sol";
import {Loan, LoanStatus, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";
import {HandlerDeps, StrataHandler} from "./StrataHandler.sol";

/// @title StrataInvariants
/// @notice The SPEC §9 invariants as forge invariant tests, over the whole protocol deployed by the production
///         deployer (StrataTestBase) and driven by one handler (`StrataHandler`): four lenders on both vaults
///         (deposit, mint, withdraw, redeem, deposit→redeem round trips, redemption queue requests, processing,
///         claims and cancellations), three borrowers on two collections (borrow, full and partial repayment,
///         extension), keepers (liquidate, buy at various points of the auction, the borrower's NFT redemption,
///         governance recovery of an unsold NFT after its timeout, surplus claims, protocol fee payout), oracle
///         pushes within the deviation bound, bounded time warps, guardian pauses and governance unpauses, and
///         governance fee changes. Every action is bounded into a valid one or skipped; each is counted.
///
///         Invariants (the number is SPEC §9's):
///         - §9.1 `invariant_1_navIsCashPlusBook`: `nav == cash + Σ book value of active loans`, the book value
///           recomputed by brute force over every loan id the handler created (`principal + interest` at the loan's
///           apr net of its protocol fee, `LoanInterest.interest`, rounded up per loan); the closed form rounds the
///           aggregate down, so `0 <= cash + Σ book - nav <= #active loans` (LoanInterest NatSpec: ≤ 1 wei per
///           loan). Also `totalPrincipal == Σ principal(active)`.
///         - §9.2 `invariant_2_waterfall`: `seniorValue + juniorValue == nav`, `seniorValue <= seniorClaim`.
///         - §9.3 `invariant_3_solvency`: the pool's balance covers `cash + protocolFees` (the suite never donates,
///           so it is equal); each vault's balance covers its `totalClaimableAssets` (served queue); the
///           liquidator's covers its `totalClaimable` (borrower surpluses). Plus a ghost ledger: every flow the
///           handler saw (deposits, withdrawals, queue service, loans, repayments, auction and redemption proceeds,
///           fees) adds up to the pool's cash, and the liquidator's surpluses to credited minus claimed.
///         - §9.4 `invariant_4_nftCustody`: every Active loan's NFT is held by the pool, every Liquidating loan's by
///           the liquidator; the pool and the liquidator hold exactly that many NFTs (none without a loan); a repaid
///           loan's NFT is back with its borrower; a liquidated one is with the buyer, the borrower or the recovery
///           address. The pool's loan statuses equal the handler's expected ones.
///         - §9.5 `invariant_5_lenderBounds`: for every senior lender, `maxWithdraw <= convertToAssets(balance)`,
///           `maxRedeem <= balance`, `previewRedeem(balance) <= convertToAssets(balance)`; on the junior (ERC-7540)
///           `maxRedeem`/`maxWithdraw` are each controller's claimable total, and those add up to the vault's
///           `totalClaimableAssets`; the round trip
///           deposit→redeem never returned more than was put in (checked in the handler: `roundTripGains == 0`).
///         - §9.6 `invariant_6_juniorFirst`: `seniorValue < seniorClaim` implies `juniorValue == 0`, and no
///           impairment (a loss, checked in the handler at the moment of `liquidate`) lowered the senior's value
///           while the junior still had value.
///         - `invariant_assetConservation`: no asset is created or lost: the asset's total supply equals what the
///           test minted, and equals the balances of every actor, the pool, both vaults, the liquidator and the
///           treasury.
///         - `invariant_shareLedgers`: each vault's `totalSupply` equals the pool's tranche supply ledger; the
///           shares the vault holds equal the pool's pending (queued) shares; the supply is held by the lenders
///           and the vault only.
///         - `invariant_handlerChecks`: checks made inside actions: a deposit/withdrawal in one tranche does not move
///           the other tranche's value (beyond rounding dust, never down); `max*` never promise more than the
///           action delivers (an action within `maxDeposit`/`maxMint`/`maxWithdraw`/`maxRedeem`, including exactly
///           the max, never reverts); no action the protocol's own views allow reverts (repayment, liquidation,
///           buy, NFT redemption, recovery, claims, queue processing: "unexpected reverts"); previews equal
///           results; a full repayment takes exactly the debt.
///
///         Run: `FOUNDRY_PROFILE=ci npx forge test --match-path 'test/invariant/*' -vv` (the per-action call summary
///         is logged by `afterInvariant`).
contract StrataInvariants is StrataTestBase {
    StrataHandler internal handler;
    address internal recovery;

    function setUp() public virtual override {
        super.setUp();
        handler = new StrataHandler(
            HandlerDeps({
                pool: pool,
                senior: senior,
                junior: junior,
                liquidator: liquidator,
                oracle: oracle,
                registry: registry,
                lens: lens,
                usdc: usdc,
                apes: apes,
                punks: punks,
                gov: gov,
                guardian: guardian,
                reporter: reporter,
                treasury: treasury
            })
        );
        recovery = handler.recovery();
        // Seed the tranches through the handler's ghosts (junior first: the senior needs subordination).
        handler.deposit(1, 1, _seedJunior(), false);
        handler.deposit(0, 0, _seedSenior() / 2, false);
        handler.deposit(2, 0, _seedSenior() - _seedSenior() / 2, false);
        // And a loan book to work on from the first call: three loans per collection, various sizes and terms
        // (the seeds are bounded by the handler into the LTV limit and the collection's duration range).
        for (uint256 i; i < 6; ++i) {
            handler.borrow(i, i, (i + 1) * 7000 * USDC, i * 5 days);
        }

        _afterSeed();

        bytes4[] memory selectors = new bytes4[](25);
        selectors[0] = StrataHandler.deposit.selector;
        selectors[1] = StrataHandler.mint.selector;
        selectors[2] = StrataHandler.withdraw.selector;
        selectors[3] = StrataHandler.redeem.selector;
        selectors[4] = StrataHandler.roundTrip.selector;
        selectors[5] = StrataHandler.requestRedeem.selector;
        selectors[6] = StrataHandler.processQueue.selector;
        selectors[7] = StrataHandler.claimRedeem.selector;
        selectors[8] = StrataHandler.cancelRedeem.selector;
        selectors[9] = StrataHandler.borrow.selector;
        selectors[10] = StrataHandler.repayFull.selector;
        selectors[11] = StrataHandler.repayPartial.selector;
        selectors[12] = StrataHandler.extend.selector;
        selectors[13] = StrataHandler.liquidate.selector;
        selectors[14] = StrataHandler.buy.selector;
        selectors[15] = StrataHandler.redeemNft.selector;
        selectors[16] = StrataHandler.recoverUnsold.selector;
        selectors[17] = StrataHandler.claimSurplus.selector;
        selectors[18] = StrataHandler.pushPrice.selector;
        selectors[19] = StrataHandler.warp.selector;
        selectors[20] = StrataHandler.pause.selector;
        selectors[21] = StrataHandler.unpause.selector;
        selectors[22] = StrataHandler.setFees.selector;
        selectors[23] = StrataHandler.payProtocolFees.selector;
        selectors[24] = StrataHandler.setDelegate.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @dev 300k junior, 700k senior: losses rarely reach the senior.
    function _seedJunior() internal pure virtual returns (uint256) {
        return 300_000 * USDC;
    }

    function _seedSenior() internal pure virtual returns (uint256) {
        return 700_000 * USDC;
    }

    /// @dev A hook for variants to shape the starting state.
    function _afterSeed() internal virtual {}

    // ------------------------------------------------------------------ SPEC §9.1

    function invariant_1_navIsCashPlusBook() public view {
        uint256 n = handler.loanCount();
        uint256 book;
        uint256 principalSum;
        uint256 active;
        for (uint256 i; i < n; ++i) {
            Loan memory l = pool.loan(handler.loanIds(i));
            if (l.status != LoanStatus.Active) continue;
            book += _bookValue(l);
            principalSum += l.principal;
            ++active;
        }
        uint256 nav = pool.nav();
        uint256 cashPlusBook = pool.cash() + book;
        assertEq(pool.totalPrincipal(), principalSum, "totalPrincipal != sum of active principal");
        assertLe(nav, cashPlusBook, "nav above cash + book");
        assertLe(cashPlusBook - nav, active, "nav more than 1 wei per active loan below cash + book");
    }

    // ------------------------------------------------------------------ SPEC §9.2

    function invariant_2_waterfall() public view {
        uint256 s = pool.trancheValue(Tranche.Senior);
        uint256 j = pool.trancheValue(Tranche.Junior);
        assertEq(s + j, pool.nav(), "senior + junior != nav");
        assertLe(s, pool.seniorClaim(), "senior value above its claim");
        assertEq(senior.totalAssets(), s, "senior vault totalAssets");
        assertEq(junior.totalAssets(), j, "junior vault totalAssets");
    }

    // ------------------------------------------------------------------ SPEC §9.3

    function invariant_3_solvency() public view {
        uint256 poolBalance = usdc.balanceOf(address(pool));
        assertGe(poolBalance, pool.cash() + pool.protocolFees(), "pool balance below cash + fees");
        assertEq(poolBalance, pool.cash() + pool.protocolFees(), "pool balance != cash + fees (no donations here)");
        assertGe(usdc.balanceOf(address(senior)), senior.totalClaimableAssets(), "senior vault below claimable");
        assertGe(usdc.balanceOf(address(junior)), junior.totalClaimableAssets(), "junior vault below claimable");
        assertGe(usdc.balanceOf(address(liquidator)), liquidator.totalClaimable(), "liquidator below claimable");
        assertEq(
            liquidator.totalClaimable(),
            handler.ghostSurplusCredited() - handler.ghostSurplusClaimed(),
            "liquidator surplus ledger"
        );
        // The pool's cash from the flows the handler saw.
        uint256 served = senior.totalClaimableAssets() + handler.ghostQueueClaimed(0) + junior.totalClaimableAssets()
            + handler.ghostQueueClaimed(1);
        uint256 inflows = handler.ghostDeposited(0) + handler.ghostDeposited(1) + handler.ghostRepaid()
            + handler.ghostAuctionProceeds() + handler.ghostRedeemProceeds();
        uint256 outflows = handler.ghostWithdrawn(0) + handler.ghostWithdrawn(1) + served + handler.ghostLent()
            + handler.ghostFeesPaid();
        assertEq(pool.cash() + pool.protocolFees(), inflows - outflows, "ghost cash ledger");
    }

    // ------------------------------------------------------------------ SPEC §9.4

    function invariant_4_nftCustody() public view {
        uint256 n = handler.loanCount();
        uint256 active;
        uint256 liquidating;
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.loanIds(i);
            Loan memory l = pool.loan(id);
            assertEq(uint256(l.status), uint256(handler.expectedStatus(id)), "loan status != expected");
            address owner = MockCollection(l.collection).ownerOf(l.tokenId);
            if (l.status == LoanStatus.Active) {
                assertEq(owner, address(pool), "active loan's NFT not in the pool");
                ++active;
            } else if (l.status == LoanStatus.Liquidating) {
                assertEq(owner, address(pool), "liquidating loan's NFT not in the pool (issue #30)");
                ++liquidating;
            } else if (l.status == LoanStatus.Repaid) {
                assertEq(owner, l.borrower, "repaid loan's NFT not back with the borrower");
            } else {
                assertTrue(
                    owner == handler.buyer() || owner == l.borrower || owner == recovery,
                    "liquidated loan's NFT with a stranger"
                );
            }
        }
        assertEq(
            apes.balanceOf(address(pool)) + punks.balanceOf(address(pool)),
            active + liquidating,
            "pool holds a loose NFT"
        );
        assertEq(
            apes.balanceOf(address(liquidator)) + punks.balanceOf(address(liquidator)),
            0,
            "liquidator holds an NFT (it holds only those of loans impaired before 0.4)"
        );
        assertEq(handler.ghostNftsIn() - handler.ghostNftsOut(), active + liquidating, "ghost NFT count");
    }

    // ------------------------------------------------------------------ SPEC §3.7

    /// @notice No delegation made by the pool survives its loan: the set of live registry delegations from the pool
    ///         equals the set of active loans with a delegate, each to exactly that loan's delegate.
    function invariant_7_delegations() public view {
        uint256 n = handler.loanCount();
        uint256 withDelegate;
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.loanIds(i);
            Loan memory l = pool.loan(id);
            address expected = l.status == LoanStatus.Active ? handler.ghostDelegate(id) : address(0);
            assertEq(pool.delegateOf(id), expected, "pool's delegate != ghost");
            if (expected != address(0)) ++withDelegate;
            for (uint256 j; j < 2; ++j) {
                address candidate = handler.delegateCandidates(j);
                assertEq(
                    delegates.checkDelegateForERC721(candidate, address(pool), l.collection, l.tokenId, ""),
                    candidate == expected,
                    "registry delegation != active loan's delegate"
                );
            }
        }
        assertEq(delegates.getOutgoingDelegationHashes(address(pool)).length, withDelegate, "a stray pool delegation");
    }

    // ------------------------------------------------------------------ SPEC §9.5

    function invariant_5_lenderBounds() public view {
        uint256 juniorClaimable;
        for (uint256 i; i < handler.lenderCount(); ++i) {
            address a = handler.lender(i);
            _lenderBounds(senior, a);
            juniorClaimable += _juniorClaimBounds(a);
        }
        // Every junior request's controller is a lender: the claimable totals add up to the vault's claimable cash.
        assertEq(juniorClaimable, junior.totalClaimableAssets(), "junior claimable totals != the vault's claims");
        assertEq(handler.roundTripGains(), 0, "a deposit->redeem round trip gained");
    }

    function _lenderBounds(TrancheVault v, address a) internal view {
        uint256 bal = v.balanceOf(a);
        uint256 worth = v.convertToAssets(bal);
        assertLe(v.maxWithdraw(a), worth, "maxWithdraw above the shares' worth");
        assertLe(v.maxRedeem(a), bal, "maxRedeem above the balance");
        assertLe(v.previewRedeem(bal), worth, "previewRedeem above the shares' worth");
    }

    /// @dev Junior (ERC-7540): `maxRedeem`/`maxWithdraw` are the controller's claimable total, which never exceeds
    ///      what was served to it. Returns the claimable assets.
    function _juniorClaimBounds(address a) internal view returns (uint256 assets) {
        ITrancheVault.ClaimableRedeem memory c = junior.claimableRedeem(a);
        assets = junior.maxWithdraw(a);
        assertEq(assets, c.assets, "junior maxWithdraw != claimable assets");
        assertEq(junior.maxRedeem(a), c.shares, "junior maxRedeem != claimable shares");
        assertLe(c.shares, c.servedShares, "junior claimable above what was served");
    }

    // ------------------------------------------------------------------ SPEC §9.6

    function invariant_6_juniorFirst() public view {
        uint256 s = pool.trancheValue(Tranche.Senior);
        if (s < pool.seniorClaim()) assertEq(pool.trancheValue(Tranche.Junior), 0, "senior impaired, junior not 0");
        assertEq(handler.juniorFirstViolations(), 0, "a loss hit the senior before the junior was wiped out");
    }

    // ------------------------------------------------------------------ beyond §9

    function invariant_assetConservation() public view {
        address[] memory h = handler.holders();
        uint256 sum = usdc.balanceOf(address(pool)) + usdc.balanceOf(address(senior)) + usdc.balanceOf(address(junior))
            + usdc.balanceOf(address(liquidator)) + usdc.balanceOf(treasury) + usdc.balanceOf(recovery);
        for (uint256 i; i < h.length; ++i) {
            sum += usdc.balanceOf(h[i]);
        }
        assertEq(usdc.totalSupply(), handler.ghostMinted(), "asset minted outside the test");
        assertEq(sum, handler.ghostMinted(), "asset lost or created");
        assertEq(usdc.balanceOf(treasury), handler.ghostFeesPaid(), "treasury != fees paid");
    }

    function invariant_shareLedgers() public view {
        _shareLedger(senior, Tranche.Senior);
        _shareLedger(junior, Tranche.Junior);
    }

    function _shareLedger(TrancheVault v, Tranche t) internal view {
        (uint256 pending, uint256 supply) = pool.queueState(t);
        assertEq(v.totalSupply(), supply, "vault supply != pool supply ledger");
        assertEq(v.balanceOf(address(v)), pending, "vault-held shares != pending shares");
        uint256 held = v.balanceOf(address(v));
        for (uint256 i; i < handler.lenderCount(); ++i) {
            held += v.balanceOf(handler.lender(i));
        }
        assertEq(held, supply, "shares outside lenders and the queue");
    }

    /// @notice SPEC §5.7 and §5.8 ("Queue fairness", "Junior notice", §9.7): no request is ever served below what its
    ///         shares were worth at book (loans in liquidation counted at book value) less the hold threshold, none at
    ///         the timestamp of a settlement or deposit that found its line held (notice integrity), and no junior
    ///         exit is instant.
    function invariant_queueFairness() public view {
        assertEq(handler.servedBelowBook(), 0, "a request was served below its value at book");
        assertEq(handler.servedAtHoldStamp(), 0, "a request was served in the block that ended its hold");
        assertEq(handler.juniorInstantExits(), 0, "a junior exit was instant");
    }

    function invariant_handlerChecks() public view {
        assertEq(handler.crossTrancheMoves(), 0, "one tranche's action moved the other's value");
        assertEq(handler.totalUnexpectedReverts(), 0, "an action the protocol's views allow reverted");
        assertEq(handler.checkFailures(), 0, handler.lastCheckFailure());
        assertEq(handler.repayOvercharges(), 0, "a full repayment took more than the debt");
    }

    function afterInvariant() public view {
        handler.logSummary();
    }

    // ------------------------------------------------------------------ independent arithmetic

    /// @dev SPEC §4: a loan's book value is its principal plus the pool's share of its interest (apr net of the
    ///      protocol fee locked in the loan), rounded up per loan as `repay` charges it.
    function _bookValue(Loan memory l) internal view returns (uint256) {
        uint256 netApr = l.protocolFeeBps == 0 ? l.apr : uint256(l.apr) * (10_000 - l.protocolFeeBps) / 10_000;
        return l.principal + LoanInterest.interest(l.principal, netApr, block.timestamp - l.start);
    }
}

/// @notice The same invariants over a thin junior (30k junior under 120k senior, the 20 % minimum) and a crashed
///         apes floor (three reporter pushes of -45 %, to about 17 % of launch): the seeded loan book is most of NAV
///         and the apes loans are underwater from the first call, so liquidations, cheap sales and unsold recoveries
///         wipe the junior out and impair the senior. This exercises the loss path of the waterfall (SPEC §9.6) and
///         the deposit refusals of an impaired senior and a wiped-out junior (SPEC §5), which the base suite's 30 %
///         junior rarely reaches.
contract StrataInvariantsThinJunior is StrataInvariants {
    function _seedJunior() internal pure override returns (uint256) {
        return 30_000 * USDC;
    }

    function _seedSenior() internal pure override returns (uint256) {
        return 120_000 * USDC;
    }

    function _afterSeed() internal override {
        for (uint256 i; i < 3; ++i) {
            vm.warp(block.timestamp + 1 hours);
            (uint256 value,,) = oracle.floorPrice(address(apes));
            _pushPrice(address(apes), value * 5500 / 10_000);
        }
    }
}

