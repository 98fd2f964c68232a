// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {console} from "forge-std/console.sol";

import {CollectionParams, Loan, LoanStatus, RarityProof, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {DutchAuctionLiquidator} from "../../src/liquidation/DutchAuctionLiquidator.sol";
import {AppraisalOracle} from "../../src/oracle/AppraisalOracle.sol";
import {CollectionRegistry} from "../../src/pool/CollectionRegistry.sol";
import {StrataLens} from "../../src/pool/StrataLens.sol";
import {StrataPool} from "../../src/pool/StrataPool.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {MockCollection} from "../mocks/MockCollection.sol";
import {MockStablecoin} from "../mocks/MockStablecoin.sol";

/// @notice The deployed protocol and the privileged actors the handler drives.
struct HandlerDeps {
    StrataPool pool;
    TrancheVault senior;
    TrancheVault junior;
    DutchAuctionLiquidator liquidator;
    AppraisalOracle oracle;
    CollectionRegistry registry;
    StrataLens lens;
    MockStablecoin usdc;
    MockCollection apes;
    MockCollection punks;
    address gov;
    address guardian;
    address reporter;
    address treasury;
}

/// @title StrataHandler
/// @notice The only target of the invariant suite (see StrataInvariants.t.sol). Every entry point takes fuzzed seeds,
///         bounds them into a valid action (or skips, counted), performs it as the right actor (`vm.prank`), and keeps
///         ghost variables: flows per tranche, loans, auctions, NFTs, and the loan ids with their expected status.
/// @dev Reverts are caught and counted per action. A revert of an action that the protocol's own views said was
///      allowed (`max*`, `isLiquidatable`, an active loan's `debt`, a running auction, a positive `claimable`) is an
///      *unexpected* revert: the suite asserts there are none. Reverts that are a legitimate outcome (an `extend`
///      of an unhealthy loan, a borrow against a stale or paused collection) are only counted.
contract StrataHandler is Test {
    // ------------------------------------------------------------------ bounds

    uint256 internal constant UNIT = 1e6;
    uint256 internal constant MAX_DEPOSIT = 500_000 * UNIT;
    uint256 internal constant MAX_LOANS = 40;
    uint256 internal constant MAX_REQUESTS = 40;
    /// @dev Largest rise of the other tranche's value tolerated on a deposit/withdrawal (rounding dust only).
    uint256 internal constant CROSS_TRANCHE_DUST = 10;

    // ------------------------------------------------------------------ actions and counters

    enum Action {
        Deposit,
        Mint,
        Withdraw,
        Redeem,
        RoundTrip,
        RequestRedeem,
        ProcessQueue,
        ClaimRedeem,
        CancelRedeem,
        Borrow,
        RepayFull,
        RepayPartial,
        Extend,
        Liquidate,
        Buy,
        RedeemNft,
        RecoverUnsold,
        ClaimSurplus,
        PushPrice,
        Warp,
        Pause,
        Unpause,
        SetFees,
        PayProtocolFees,
        SetDelegate
    }

    uint256 internal constant ACTIONS = 25;

    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public skips;
    uint256[ACTIONS] public reverts;
    uint256[ACTIONS] public unexpectedReverts;
    bytes4 public lastUnexpectedSelector;
    uint256 public lastUnexpectedAction;

    // ------------------------------------------------------------------ protocol

    StrataPool public pool;
    TrancheVault public senior;
    TrancheVault public junior;
    DutchAuctionLiquidator public liquidator;
    AppraisalOracle public oracle;
    CollectionRegistry public registry;
    StrataLens public lens;
    MockStablecoin public usdc;
    MockCollection[2] internal collections;
    address public gov;
    address public guardian;
    address public reporter;
    address public treasury;

    address[] internal lenders;
    address[] internal borrowers;
    address public keeper = makeAddr("inv.keeper");
    address public buyer = makeAddr("inv.buyer");
    address public recovery = makeAddr("inv.recovery");

    // ------------------------------------------------------------------ ghost variables

    uint256 public ghostMinted;
    uint256[2] public ghostDeposited;
    uint256[2] public ghostWithdrawn; // instant withdrawals and redemptions
    uint256[2] public ghostQueueClaimed;
    uint256 public ghostLent; // principal minus origination fee, sent to borrowers
    uint256 public ghostRepaid; // everything borrowers paid the pool (principal, interest, late fees)
    uint256 public ghostAuctionProceeds; // paid to the pool by buyers
    uint256 public ghostRedeemProceeds; // paid to the pool by borrowers redeeming their NFT
    uint256 public ghostSurplusCredited;
    uint256 public ghostSurplusClaimed;
    uint256 public ghostFeesPaid; // protocol fees paid out to the treasury
    uint256 public ghostNftsIn;
    uint256 public ghostNftsOut;

    uint256[] public loanIds;
    mapping(uint256 loanId => LoanStatus) public expectedStatus;
    /// @dev The delegate the pool should hold a registry delegation to, per loan (SPEC §3.7): set by a borrow with a
    ///      delegate and by `setDelegate`, cleared when the token leaves custody (full repayment, liquidation).
    mapping(uint256 loanId => address) public ghostDelegate;
    /// @dev The addresses a borrower may name as a delegate (the invariants check each against the registry).
    address[2] public delegateCandidates = [makeAddr("inv.delegate0"), makeAddr("inv.delegate1")];

    struct Request {
        Tranche tranche;
        uint256 id;
        address controller;
    }

    Request[] internal requests;

    // Property flags checked inside actions (the invariants assert they stay zero).
    uint256 public roundTripGains;
    uint256 public crossTrancheMoves;
    uint256 public maxCrossTrancheDust;
    uint256 public juniorFirstViolations;
    uint256 public repayOvercharges;
    /// @dev Coverage: actions after which the senior was impaired (`seniorValue < seniorClaim`).
    uint256 public seniorImpairedSeen;
    uint256 public checkFailures;
    string public lastCheckFailure;
    /// @dev SPEC §5 "Queue fairness": requests served below what their shares were worth at book (loans in
    ///      liquidation at book value, `trancheDepositValue`) at the moment of service. Must stay 0.
    uint256 public servedBelowBook;
    /// @dev SPEC §5.7 notice integrity: per tranche, the last timestamp at which a settlement or a deposit found the
    ///      line held with requests waiting; and the requests served at such a timestamp (must stay 0).
    uint256[2] public holdStampedAt;
    uint256 public servedAtHoldStamp;
    /// @dev Coverage: queue calls made while a queue was paused by pending recoveries (realised below book).
    uint256 public queuePausedSeen;
    /// @dev Coverage: requests served (in full or in part) by the handler's queue calls.
    uint256 public requestsServed;
    /// @dev Junior instant exits that did not revert (SPEC §5 "Junior notice": there are none). Must stay 0.
    uint256 public juniorInstantExits;

    uint256 internal _nextTokenId = 1_000_000;

    constructor(HandlerDeps memory d) {
        pool = d.pool;
        senior = d.senior;
        junior = d.junior;
        liquidator = d.liquidator;
        oracle = d.oracle;
        registry = d.registry;
        lens = d.lens;
        usdc = d.usdc;
        collections[0] = d.apes;
        collections[1] = d.punks;
        gov = d.gov;
        guardian = d.guardian;
        reporter = d.reporter;
        treasury = d.treasury;
        for (uint256 i; i < 4; ++i) {
            lenders.push(makeAddr(string.concat("inv.lender", vm.toString(i))));
            _approveAll(lenders[i]);
        }
        for (uint256 i; i < 3; ++i) {
            borrowers.push(makeAddr(string.concat("inv.borrower", vm.toString(i))));
            _approveAll(borrowers[i]);
        }
        _approveAll(keeper);
        _approveAll(buyer);
    }

    // =====================================================================================================
    // Lenders
    // =====================================================================================================

    function deposit(uint256 actorSeed, uint256 trancheSeed, uint256 amount, bool useMax) external {
        _call(Action.Deposit);
        address a = _lender(actorSeed);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        uint256 max = v.maxDeposit(a);
        if (max == 0) return _skip(Action.Deposit);
        amount = useMax && max <= MAX_DEPOSIT ? max : _bound(amount, 1, _min(max, MAX_DEPOSIT));
        if (v.previewDeposit(amount) == 0) return _skip(Action.Deposit);
        _mintTo(a, amount);
        uint256 other = _otherValue(t);
        bool[2] memory held = _heldWithPending();
        vm.prank(a);
        try v.deposit(amount, a) {
            ghostDeposited[uint256(t)] += amount;
            if (t == Tranche.Junior) _stampHolds(held);
        } catch (bytes memory err) {
            // Within `maxDeposit` and a non-zero preview: a revert means `maxDeposit` over-promised.
            _unexpected(Action.Deposit, err);
        }
        _checkOther(t, other);
    }

    function mint(uint256 actorSeed, uint256 trancheSeed, uint256 shares, bool useMax) external {
        _call(Action.Mint);
        address a = _lender(actorSeed);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        uint256 maxShares = _min(v.maxMint(a), v.convertToShares(MAX_DEPOSIT));
        if (maxShares == 0) return _skip(Action.Mint);
        shares = useMax ? maxShares : _bound(shares, 1, maxShares);
        uint256 assets = v.previewMint(shares);
        if (assets == 0) return _skip(Action.Mint);
        _mintTo(a, assets);
        uint256 other = _otherValue(t);
        bool[2] memory held = _heldWithPending();
        vm.prank(a);
        try v.mint(shares, a) returns (uint256 paid) {
            _check(paid, assets, "mint: previewMint");
            ghostDeposited[uint256(t)] += paid;
            if (t == Tranche.Junior) _stampHolds(held);
        } catch (bytes memory err) {
            _unexpected(Action.Mint, err);
        }
        _checkOther(t, other);
    }

    function withdraw(uint256 actorSeed, uint256 trancheSeed, uint256 amount, bool useMax) external {
        _call(Action.Withdraw);
        address a = _lender(actorSeed);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        if (t == Tranche.Junior) return _juniorInstantExitReverts(a, amount, false);
        uint256 max = v.maxWithdraw(a);
        if (max == 0) return _skip(Action.Withdraw);
        amount = useMax ? max : _bound(amount, 1, max);
        uint256 other = _otherValue(t);
        uint256 balBefore = usdc.balanceOf(a);
        vm.prank(a);
        try v.withdraw(amount, a, a) {
            _check(usdc.balanceOf(a) - balBefore, amount, "withdraw: amount received");
            ghostWithdrawn[uint256(t)] += amount;
        } catch (bytes memory err) {
            _unexpected(Action.Withdraw, err);
        }
        _checkOther(t, other);
    }

    function redeem(uint256 actorSeed, uint256 trancheSeed, uint256 shares, bool useMax) external {
        _call(Action.Redeem);
        address a = _lender(actorSeed);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        if (t == Tranche.Junior) return _juniorInstantExitReverts(a, shares, true);
        uint256 max = v.maxRedeem(a);
        if (max == 0) return _skip(Action.Redeem);
        shares = useMax ? max : _bound(shares, 1, max);
        uint256 expected = v.previewRedeem(shares);
        if (expected == 0) return _skip(Action.Redeem);
        uint256 other = _otherValue(t);
        vm.prank(a);
        try v.redeem(shares, a, a) returns (uint256 assets) {
            _check(assets, expected, "redeem: previewRedeem");
            ghostWithdrawn[uint256(t)] += assets;
        } catch (bytes memory err) {
            _unexpected(Action.Redeem, err);
        }
        _checkOther(t, other);
    }

    /// @notice Deposit then immediately redeem the minted shares: never returns more than was put in (SPEC §9.5).
    function roundTrip(uint256 actorSeed, uint256 trancheSeed, uint256 amount) external {
        _call(Action.RoundTrip);
        address a = _lender(actorSeed);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        uint256 max = v.maxDeposit(a);
        if (max == 0) return _skip(Action.RoundTrip);
        amount = _bound(amount, 1, _min(max, MAX_DEPOSIT));
        if (v.previewDeposit(amount) == 0) return _skip(Action.RoundTrip);
        _mintTo(a, amount);
        vm.prank(a);
        uint256 shares;
        try v.deposit(amount, a) returns (uint256 s) {
            shares = s;
            ghostDeposited[uint256(t)] += amount;
        } catch (bytes memory err) {
            return _unexpected(Action.RoundTrip, err);
        }
        if (t == Tranche.Junior) return; // junior exits are requests (ERC-7540): no round trip in one call
        if (v.maxRedeem(a) < shares || v.previewRedeem(shares) == 0) return; // cash or subordination: stays in
        vm.prank(a);
        try v.redeem(shares, a, a) returns (uint256 out) {
            ghostWithdrawn[uint256(t)] += out;
            if (out > amount) ++roundTripGains;
        } catch (bytes memory err) {
            _unexpected(Action.RoundTrip, err);
        }
    }

    function requestRedeem(uint256 actorSeed, uint256 trancheSeed, uint256 shares) external {
        _call(Action.RequestRedeem);
        if (requests.length >= MAX_REQUESTS) return _skip(Action.RequestRedeem);
        address a = _lender(actorSeed);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        uint256 bal = v.balanceOf(a);
        if (bal == 0) return _skip(Action.RequestRedeem);
        shares = _bound(shares, 1, bal);
        QueueSnapshot memory before = _queueSnapshot(t);
        vm.prank(a);
        try v.requestRedeem(shares, a, a) returns (uint256 id) {
            requests.push(Request({tranche: t, id: id, controller: a}));
            before.claimable = _extend(before.claimable);
            _checkServedAtBook(t, before); // the auto-service of earlier requests
        } catch (bytes memory err) {
            _unexpected(Action.RequestRedeem, err);
        }
    }

    function processQueue(uint256 trancheSeed, uint256 maxRequests) external {
        _call(Action.ProcessQueue);
        Tranche t = _tranche(trancheSeed);
        TrancheVault v = _vault(t);
        maxRequests = _bound(maxRequests, 1, 8);
        QueueSnapshot memory before = _queueSnapshot(t);
        vm.prank(keeper);
        try v.processQueue(maxRequests) {
            _checkServedAtBook(t, before);
        } catch (bytes memory err) {
            _unexpected(Action.ProcessQueue, err);
        }
    }

    function _serveNow(Tranche t) internal {
        QueueSnapshot memory before = _queueSnapshot(t);
        vm.prank(keeper);
        try _vault(t).processQueue(8) {
            _checkServedAtBook(t, before);
        } catch (bytes memory err) {
            _unexpected(Action.ProcessQueue, err);
        }
    }

    /// @dev What a queue call is checked against: the tranche's value at book and its supply before the call, and
    ///      every tracked request's claimable shares and assets.
    struct QueueSnapshot {
        uint256 bookValue;
        uint256 supply;
        uint256[2][] claimable;
    }

    function _queueSnapshot(Tranche t) internal returns (QueueSnapshot memory q) {
        TrancheVault v = _vault(t);
        q.bookValue = pool.trancheDepositValue(t);
        q.supply = v.totalSupply();
        q.claimable = new uint256[2][](requests.length);
        for (uint256 i; i < requests.length; ++i) {
            ITrancheVault.RedemptionRequest memory r = _vault(requests[i].tranche).redeemRequest(requests[i].id);
            q.claimable[i] = [uint256(r.claimableShares), uint256(r.claimableAssets)];
        }
        (uint256 pending,) = pool.queueState(t);
        if (pending != 0 && v.totalAssets() < q.bookValue) ++queuePausedSeen;
    }

    /// @dev Which lines are held now with requests waiting (what a settlement or a junior deposit may end).
    function _heldWithPending() internal view returns (bool[2] memory held) {
        for (uint256 i; i < 2; ++i) {
            (bool h,,,) = pool.queueHold(Tranche(i));
            (uint256 pending,) = pool.queueState(Tranche(i));
            held[i] = h && pending != 0;
        }
    }

    function _stampHolds(bool[2] memory held) internal {
        for (uint256 i; i < 2; ++i) {
            if (held[i]) holdStampedAt[i] = block.timestamp;
        }
    }

    function _extend(uint256[2][] memory a) internal view returns (uint256[2][] memory b) {
        b = new uint256[2][](requests.length);
        for (uint256 i; i < a.length; ++i) {
            b[i] = a[i];
        }
    }

    /// @dev SPEC §5.7 "Queue fairness": every share served by the call was paid at least its value at book before the
    ///      call (the vault's virtual-share price over `trancheDepositValue`, rounded down) less the hold's
    ///      materiality threshold (pending recoveries below it hold nothing), less 1 unit of rounding.
    ///      A claim between the snapshot and now cannot happen (the handler makes one call).
    function _checkServedAtBook(Tranche t, QueueSnapshot memory before) internal {
        (,, uint256 thresholdBps,) = pool.queueHold(t);
        for (uint256 i; i < requests.length; ++i) {
            if (requests[i].tranche != t) continue;
            ITrancheVault.RedemptionRequest memory r = _vault(t).redeemRequest(requests[i].id);
            if (r.claimableShares < before.claimable[i][0]) continue; // claimed meanwhile: not a service
            uint256 shares = r.claimableShares - before.claimable[i][0];
            if (shares == 0) continue;
            ++requestsServed;
            uint256 assets = r.claimableAssets - before.claimable[i][1];
            if (holdStampedAt[uint256(t)] == block.timestamp) ++servedAtHoldStamp;
            uint256 atBook = shares * (before.bookValue + 1) / (before.supply + 1e6);
            if (assets + 1 < atBook - atBook * thresholdBps / 10_000) ++servedBelowBook;
        }
    }

    /// @dev Junior exits are notice requests: `withdraw`/`redeem` are ERC-7540 claims and revert past what the
    ///      controller has been served (`maxWithdraw`/`maxRedeem`), so nothing but a served request ever leaves.
    function _juniorInstantExitReverts(address a, uint256 amount, bool viaRedeem) internal {
        uint256 max = viaRedeem ? junior.maxRedeem(a) : junior.maxWithdraw(a);
        if (max >= type(uint128).max) return _skip(viaRedeem ? Action.Redeem : Action.Withdraw);
        amount = _bound(amount, max + 1, type(uint128).max);
        vm.prank(a);
        bool ok;
        if (viaRedeem) {
            try junior.redeem(amount, a, a) {
                ok = true;
            } catch {}
        } else {
            try junior.withdraw(amount, a, a) {
                ok = true;
            } catch {}
        }
        if (ok) ++juniorInstantExits;
    }

    function claimRedeem(uint256 requestSeed) external {
        _call(Action.ClaimRedeem);
        if (requests.length == 0) return _skip(Action.ClaimRedeem);
        Request memory r = requests[requestSeed % requests.length];
        TrancheVault v = _vault(r.tranche);
        if (r.tranche == Tranche.Junior) return _juniorClaim(r);
        uint256 assets = v.redeemRequest(r.id).claimableAssets;
        if (assets == 0) return _skip(Action.ClaimRedeem);
        uint256 balBefore = usdc.balanceOf(r.controller);
        vm.prank(r.controller);
        try v.claimRedeem(r.id, r.controller) returns (uint256 paid) {
            _check(paid, assets, "claimRedeem: claimable");
            _check(usdc.balanceOf(r.controller) - balBefore, assets, "claimRedeem: received");
            ghostQueueClaimed[uint256(r.tranche)] += paid;
        } catch (bytes memory err) {
            _unexpected(Action.ClaimRedeem, err);
        }
    }

    /// @dev A junior ERC-7540 claim of request `r`'s claimable shares (`redeem` with the controller): pays at most
    ///      the controller's claimable assets, exactly what the tokens received say, and leaves the claimable total
    ///      short by exactly the shares and assets paid.
    function _juniorClaim(Request memory r) internal {
        uint256 shares = junior.claimableRedeemRequest(r.id, r.controller);
        if (shares == 0) return _skip(Action.ClaimRedeem);
        uint256 maxShares = junior.maxRedeem(r.controller);
        uint256 maxAssets = junior.maxWithdraw(r.controller);
        _check(shares <= maxShares ? 1 : 0, 1, "claimableRedeemRequest: within maxRedeem");
        uint256 balBefore = usdc.balanceOf(r.controller);
        vm.prank(r.controller);
        try junior.redeem(shares, r.controller, r.controller) returns (uint256 paid) {
            _check(paid <= maxAssets ? 1 : 0, 1, "junior claim: within maxWithdraw");
            _check(usdc.balanceOf(r.controller) - balBefore, paid, "junior claim: received");
            _check(junior.maxRedeem(r.controller), maxShares - shares, "junior claim: claimable shares");
            _check(junior.maxWithdraw(r.controller), maxAssets - paid, "junior claim: claimable assets");
            ghostQueueClaimed[uint256(r.tranche)] += paid;
        } catch (bytes memory err) {
            _unexpected(Action.ClaimRedeem, err);
        }
    }

    function cancelRedeem(uint256 requestSeed) external {
        _call(Action.CancelRedeem);
        if (requests.length == 0) return _skip(Action.CancelRedeem);
        Request memory r = requests[requestSeed % requests.length];
        TrancheVault v = _vault(r.tranche);
        uint256 pending = v.redeemRequest(r.id).pendingShares;
        if (pending == 0) return _skip(Action.CancelRedeem);
        uint256 balBefore = v.balanceOf(r.controller);
        vm.prank(r.controller);
        try v.cancelRedeemRequest(r.id) returns (uint256 shares) {
            _check(shares, pending, "cancel: pending");
            _check(v.balanceOf(r.controller) - balBefore, pending, "cancel: shares returned");
        } catch (bytes memory err) {
            _unexpected(Action.CancelRedeem, err);
        }
    }

    // =====================================================================================================
    // Borrowers
    // =====================================================================================================

    function borrow(uint256 borrowerSeed, uint256 collectionSeed, uint256 principal, uint256 duration) external {
        _call(Action.Borrow);
        if (loanIds.length >= MAX_LOANS) return _skip(Action.Borrow);
        MockCollection c = collections[collectionSeed % 2];
        (CollectionParams memory p,, bool collectionPaused) = registry.collection(address(c));
        (bool borrowsPaused,) = pool.paused();
        if (borrowsPaused || collectionPaused) return _skip(Action.Borrow);
        _refreshPrice(address(c));
        uint256 max = _maxPrincipal(address(c), p);
        if (max == 0) return _skip(Action.Borrow);
        principal = _bound(principal, _min(UNIT, max), max);
        duration = _bound(duration, p.minDuration, p.maxDuration);
        address b = borrowers[borrowerSeed % borrowers.length];
        uint256 tokenId = _nextTokenId++;
        c.mint(b, tokenId);
        uint256 balBefore = usdc.balanceOf(b);
        // One borrow in three names a delegate (SPEC §3.7).
        address delegate = _delegateFor(principal);
        vm.prank(b);
        try pool.borrow(address(c), tokenId, principal, duration, type(uint256).max, _noProof(), delegate) returns (
            uint256 id
        ) {
            loanIds.push(id);
            expectedStatus[id] = LoanStatus.Active;
            ghostDelegate[id] = delegate;
            ghostLent += usdc.balanceOf(b) - balBefore;
            ++ghostNftsIn;
        } catch (bytes memory err) {
            _unexpected(Action.Borrow, err);
        }
    }

    function repayFull(uint256 loanSeed, bool payMore) external {
        _call(Action.RepayFull);
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Active);
        if (!found) return _skip(Action.RepayFull);
        Loan memory l = pool.loan(id);
        uint256 debt = lens.debt(id);
        _mintTo(l.borrower, debt);
        uint256 balBefore = usdc.balanceOf(l.borrower);
        vm.prank(l.borrower);
        try pool.repay(id, payMore ? type(uint256).max : debt) returns (uint256 paid) {
            if (paid != debt || balBefore - usdc.balanceOf(l.borrower) != debt) ++repayOvercharges;
            ghostRepaid += paid;
            expectedStatus[id] = LoanStatus.Repaid;
            delete ghostDelegate[id];
            ++ghostNftsOut;
        } catch (bytes memory err) {
            // Repayment is never blocked (SPEC §8), not even by a pause.
            _unexpected(Action.RepayFull, err);
        }
    }

    function repayPartial(uint256 loanSeed, uint256 amount) external {
        _call(Action.RepayPartial);
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Active);
        if (!found) return _skip(Action.RepayPartial);
        Loan memory l = pool.loan(id);
        if (block.timestamp > l.maturity) return _skip(Action.RepayPartial);
        uint256 debt = lens.debt(id);
        uint256 interest = debt - l.principal;
        uint256 lo = interest == 0 ? 1 : interest;
        if (debt <= lo) return _skip(Action.RepayPartial);
        amount = _bound(amount, lo, debt - 1);
        _mintTo(l.borrower, amount);
        vm.prank(l.borrower);
        try pool.repay(id, amount) returns (uint256 paid) {
            _check(paid, amount, "repayPartial: paid");
            _check(pool.loan(id).principal, l.principal - (amount - interest), "repayPartial: principal");
            ghostRepaid += paid;
        } catch (bytes memory err) {
            _unexpected(Action.RepayPartial, err);
        }
    }

    function extend(uint256 loanSeed, uint256 duration) external {
        _call(Action.Extend);
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Active);
        if (!found) return _skip(Action.Extend);
        Loan memory l = pool.loan(id);
        if (block.timestamp > l.maturity) return _skip(Action.Extend);
        (CollectionParams memory p,,) = registry.collection(l.collection);
        duration = _bound(duration, p.minDuration, p.maxDuration);
        uint256 interest = lens.debt(id) - l.principal;
        _mintTo(l.borrower, interest);
        uint256 balBefore = usdc.balanceOf(l.borrower);
        vm.prank(l.borrower);
        // Legitimate refusals: an unhealthy loan, a stale price, a paused collection or pool.
        try pool.extend(id, duration, type(uint256).max) {
            uint256 paid = balBefore - usdc.balanceOf(l.borrower);
            ghostRepaid += paid;
        } catch {
            ++reverts[uint256(Action.Extend)];
        }
    }

    // =====================================================================================================
    // Keepers and liquidation
    // =====================================================================================================

    function liquidate(uint256 loanSeed) external {
        _call(Action.Liquidate);
        uint256 n = loanIds.length;
        uint256 id;
        bool found;
        for (uint256 i; i < n && !found; ++i) {
            id = loanIds[(loanSeed % n + i) % n];
            found = liquidator.isLiquidatable(id);
        }
        if (!found) return _skip(Action.Liquidate);
        uint256 seniorBefore = pool.trancheValue(Tranche.Senior);
        vm.prank(keeper);
        try liquidator.liquidate(id) {
            expectedStatus[id] = LoanStatus.Liquidating;
            delete ghostDelegate[id];
            // SPEC §9.6: an impairment is a loss; the senior may lose only once the junior is wiped out.
            if (pool.trancheValue(Tranche.Senior) < seniorBefore && pool.trancheValue(Tranche.Junior) != 0) {
                ++juniorFirstViolations;
            }
            // F-5: a keeper tries to serve both queues in the block of the write-down.
            _serveNow(Tranche.Senior);
            _serveNow(Tranche.Junior);
        } catch (bytes memory err) {
            _unexpected(Action.Liquidate, err);
        }
    }

    function buy(uint256 loanSeed, uint256 delay) external {
        _call(Action.Buy);
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Liquidating);
        if (!found) return _skip(Action.Buy);
        // Buy at various points of the price curve: now, or up to 4 days later (past the end of the fall).
        delay = _bound(delay, 0, 4 days);
        if (delay > 0) vm.warp(block.timestamp + delay);
        uint256 price = liquidator.currentPrice(id);
        uint256 owed = liquidator.auction(id).owed;
        _mintTo(buyer, price);
        bool[2] memory held = _heldWithPending();
        vm.prank(buyer);
        try liquidator.buy(id, price) returns (uint256 paid) {
            _stampHolds(held);
            uint256 toPool = _min(paid, owed);
            ghostAuctionProceeds += toPool;
            ghostSurplusCredited += paid - toPool;
            expectedStatus[id] = LoanStatus.Liquidated;
            ++ghostNftsOut;
        } catch (bytes memory err) {
            _unexpected(Action.Buy, err);
        }
    }

    function redeemNft(uint256 loanSeed) external {
        _call(Action.RedeemNft);
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Liquidating);
        if (!found) return _skip(Action.RedeemNft);
        address b = pool.loan(id).borrower;
        uint256 owed = liquidator.auction(id).owed;
        _mintTo(b, owed);
        bool[2] memory held = _heldWithPending();
        vm.prank(b);
        try liquidator.redeem(id) returns (uint256 paid) {
            _stampHolds(held);
            _check(paid, owed, "redeemNft: owed");
            ghostRedeemProceeds += paid;
            expectedStatus[id] = LoanStatus.Liquidated;
            ++ghostNftsOut;
        } catch (bytes memory err) {
            _unexpected(Action.RedeemNft, err);
        }
    }

    /// @notice Governance (SPEC §7.5): books the sale of an unsold NFT whose recovery is pending (0 to 120 % of its
    ///         estimate; the proceeds count with the auction proceeds), or, after the timeout, sends an unsold NFT to
    ///         the recovery address at a random estimate up to its book value.
    function recoverUnsold(uint256 loanSeed) external {
        _call(Action.RecoverUnsold);
        (bool pending, uint256 rid) = _findLoan(loanSeed, LoanStatus.Recovering);
        if (pending && loanSeed % 2 == 0) {
            uint256 estimate = pool.loan(rid).principal;
            uint256 amount = (loanSeed >> 8) % (estimate + estimate / 5 + 1);
            _mintTo(gov, amount);
            bool[2] memory heldNow = _heldWithPending();
            vm.startPrank(gov);
            usdc.approve(address(pool), amount);
            try pool.settleRecovery(rid, amount) {
                _stampHolds(heldNow);
                ghostAuctionProceeds += amount;
                expectedStatus[rid] = LoanStatus.Liquidated;
            } catch (bytes memory err) {
                _unexpected(Action.RecoverUnsold, err);
            }
            vm.stopPrank();
            return;
        }
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Liquidating);
        if (!found) return _skip(Action.RecoverUnsold);
        uint256 availableAt = uint256(liquidator.auction(id).startTime) + liquidator.auctionParams().recoveryTimeout;
        if (block.timestamp < availableAt) vm.warp(availableAt);
        uint256 estimate_ = (loanSeed >> 16) % (uint256(pool.loan(id).principal) + 1);
        bool[2] memory held = _heldWithPending();
        vm.prank(gov);
        try liquidator.recoverUnsold(id, recovery, estimate_) {
            _stampHolds(held);
            expectedStatus[id] = LoanStatus.Recovering;
            ++ghostNftsOut;
        } catch (bytes memory err) {
            _unexpected(Action.RecoverUnsold, err);
        }
    }

    function claimSurplus(uint256 borrowerSeed) external {
        _call(Action.ClaimSurplus);
        address b = borrowers[borrowerSeed % borrowers.length];
        uint256 amount = liquidator.claimable(b);
        if (amount == 0) return _skip(Action.ClaimSurplus);
        vm.prank(b);
        try liquidator.claim(b) returns (uint256 paid) {
            _check(paid, amount, "claimSurplus: amount");
            ghostSurplusClaimed += paid;
        } catch (bytes memory err) {
            _unexpected(Action.ClaimSurplus, err);
        }
    }

    /// @notice A reporter pushes a floor within ±45 % of the current value (the oracle's bound is 50 %).
    function pushPrice(uint256 collectionSeed, uint256 moveBps) external {
        _call(Action.PushPrice);
        address c = address(collections[collectionSeed % 2]);
        (uint256 value,,) = oracle.floorPrice(c);
        moveBps = _bound(moveBps, 0, 9000);
        uint256 price = value * (5500 + moveBps) / 10_000;
        // Keep the floor in a sane band around its launch value (100k apes / 40k punks, in 6-decimal units).
        uint256 launch = collectionSeed % 2 == 0 ? 100_000 * UNIT : 40_000 * UNIT;
        price = _min(_max(price, launch / 50), launch * 4);
        if (price == 0) return _skip(Action.PushPrice);
        vm.prank(reporter);
        try oracle.pushPrice(c, price) {}
        catch (bytes memory err) {
            _unexpected(Action.PushPrice, err);
        }
    }

    function warp(uint256 secs) external {
        _call(Action.Warp);
        vm.warp(block.timestamp + _bound(secs, 1 hours, 10 days));
    }

    /// @notice The guardian pauses new risk: borrows, deposits, or one collection.
    function pause(uint256 kind) external {
        _call(Action.Pause);
        _setPaused(kind % 4, true, guardian);
    }

    /// @notice Governance lifts a pause.
    function unpause(uint256 kind) external {
        _call(Action.Unpause);
        _setPaused(kind % 4, false, gov);
    }

    function setFees(uint256 originationFeeBps, uint256 protocolFeeBps) external {
        _call(Action.SetFees);
        originationFeeBps = _bound(originationFeeBps, 0, 500);
        protocolFeeBps = _bound(protocolFeeBps, 0, 5000);
        vm.prank(gov);
        try pool.setFees(originationFeeBps, protocolFeeBps) {}
        catch (bytes memory err) {
            _unexpected(Action.SetFees, err);
        }
    }

    function payProtocolFees() external {
        _call(Action.PayProtocolFees);
        uint256 fees = pool.protocolFees();
        if (fees == 0) return _skip(Action.PayProtocolFees);
        vm.prank(keeper);
        try pool.payProtocolFees() returns (uint256 paid) {
            ghostFeesPaid += paid;
        } catch (bytes memory err) {
            _unexpected(Action.PayProtocolFees, err);
        }
    }

    /// @notice The borrower of an active loan names, moves or clears (one in three) its delegate (SPEC §3.7).
    function setDelegate(uint256 loanSeed, uint256 delegateSeed) external {
        _call(Action.SetDelegate);
        (bool found, uint256 id) = _findLoan(loanSeed, LoanStatus.Active);
        if (!found) return _skip(Action.SetDelegate);
        address delegate = _delegateFor(delegateSeed);
        vm.prank(pool.loan(id).borrower);
        try pool.setDelegate(id, delegate) {
            ghostDelegate[id] = delegate;
        } catch (bytes memory err) {
            _unexpected(Action.SetDelegate, err);
        }
    }

    function _delegateFor(uint256 seed) internal view returns (address) {
        return seed % 3 == 0 ? address(0) : delegateCandidates[seed % 2];
    }

    // =====================================================================================================
    // Views for the invariants
    // =====================================================================================================

    function loanCount() external view returns (uint256) {
        return loanIds.length;
    }

    function lenderCount() external view returns (uint256) {
        return lenders.length;
    }

    function lender(uint256 i) external view returns (address) {
        return lenders[i];
    }

    /// @notice Every address the test ever gives the asset to (besides the protocol's contracts and the treasury).
    function holders() external view returns (address[] memory h) {
        h = new address[](lenders.length + borrowers.length + 2);
        for (uint256 i; i < lenders.length; ++i) {
            h[i] = lenders[i];
        }
        for (uint256 i; i < borrowers.length; ++i) {
            h[lenders.length + i] = borrowers[i];
        }
        h[h.length - 2] = keeper;
        h[h.length - 1] = buyer;
    }

    function isBorrower(address a) external view returns (bool) {
        for (uint256 i; i < borrowers.length; ++i) {
            if (borrowers[i] == a) return true;
        }
        return false;
    }

    function totalUnexpectedReverts() external view returns (uint256 n) {
        for (uint256 i; i < ACTIONS; ++i) {
            n += unexpectedReverts[i];
        }
    }

    function actionName(uint256 i) public pure returns (string memory) {
        string[ACTIONS] memory names = [
            "deposit",
            "mint",
            "withdraw",
            "redeem",
            "roundTrip",
            "requestRedeem",
            "processQueue",
            "claimRedeem",
            "cancelRedeem",
            "borrow",
            "repayFull",
            "repayPartial",
            "extend",
            "liquidate",
            "buy",
            "redeemNft",
            "recoverUnsold",
            "claimSurplus",
            "pushPrice",
            "warp",
            "pause",
            "unpause",
            "setFees",
            "payProtocolFees",
            "setDelegate"
        ];
        return names[i];
    }

    /// @notice Logs, per action, calls / skipped / reverted (legitimate) / unexpected reverts, and the ghost flows.
    function logSummary() external view {
        for (uint256 i; i < ACTIONS; ++i) {
            console.log(
                string.concat(
                    actionName(i),
                    ": calls ",
                    vm.toString(calls[i]),
                    ", skipped ",
                    vm.toString(skips[i]),
                    ", reverted ",
                    vm.toString(reverts[i]),
                    ", unexpected ",
                    vm.toString(unexpectedReverts[i])
                )
            );
        }
        console.log("loans", loanIds.length, "requests", requests.length);
        console.log("deposited senior/junior", ghostDeposited[0], ghostDeposited[1]);
        console.log("withdrawn senior/junior", ghostWithdrawn[0], ghostWithdrawn[1]);
        console.log("queue claimed senior/junior", ghostQueueClaimed[0], ghostQueueClaimed[1]);
        console.log("lent / repaid", ghostLent, ghostRepaid);
        console.log("auction / redeem proceeds", ghostAuctionProceeds, ghostRedeemProceeds);
        console.log("surplus credited / claimed", ghostSurplusCredited, ghostSurplusClaimed);
        console.log("nfts in / out", ghostNftsIn, ghostNftsOut);
        console.log("max cross-tranche dust", maxCrossTrancheDust);
        console.log("calls made with the senior impaired", seniorImpairedSeen);
        console.log("requests served / queue calls while paused by pending recoveries", requestsServed, queuePausedSeen);
    }

    // =====================================================================================================
    // Internals
    // =====================================================================================================

    /// @dev A property checked inside an action: counted (the invariants assert none failed), never reverted (a
    ///      revert would be swallowed by `fail_on_revert = false`).
    function _check(uint256 actual, uint256 expected, string memory what) internal {
        if (actual != expected) {
            ++checkFailures;
            lastCheckFailure = what;
        }
    }

    function _call(Action a) internal {
        ++calls[uint256(a)];
        if (pool.trancheValue(Tranche.Senior) < pool.seniorClaim()) ++seniorImpairedSeen;
    }

    function _skip(Action a) internal {
        ++skips[uint256(a)];
    }

    function _unexpected(Action a, bytes memory err) internal {
        ++reverts[uint256(a)];
        ++unexpectedReverts[uint256(a)];
        lastUnexpectedAction = uint256(a);
        lastUnexpectedSelector = err.length >= 4 ? bytes4(err) : bytes4(0);
    }

    function _lender(uint256 seed) internal view returns (address) {
        return lenders[seed % lenders.length];
    }

    function _tranche(uint256 seed) internal pure returns (Tranche) {
        return seed % 2 == 0 ? Tranche.Senior : Tranche.Junior;
    }

    function _vault(Tranche t) internal view returns (TrancheVault) {
        return t == Tranche.Senior ? senior : junior;
    }

    function _approveAll(address a) internal {
        vm.startPrank(a);
        usdc.approve(address(senior), type(uint256).max);
        usdc.approve(address(junior), type(uint256).max);
        usdc.approve(address(pool), type(uint256).max);
        usdc.approve(address(liquidator), type(uint256).max);
        collections[0].setApprovalForAll(address(pool), true);
        collections[1].setApprovalForAll(address(pool), true);
        vm.stopPrank();
    }

    function _mintTo(address a, uint256 amount) internal {
        if (amount == 0) return;
        usdc.mint(a, amount);
        ghostMinted += amount;
    }

    /// @dev The other tranche's value, to check a deposit/withdrawal in one tranche leaves it alone.
    function _otherValue(Tranche t) internal view returns (uint256) {
        return _vault(t == Tranche.Senior ? Tranche.Junior : Tranche.Senior).totalAssets();
    }

    function _checkOther(Tranche t, uint256 before) internal {
        uint256 afterValue = _otherValue(t);
        if (afterValue < before) {
            ++crossTrancheMoves;
        } else if (afterValue > before) {
            uint256 dust = afterValue - before;
            if (dust > maxCrossTrancheDust) maxCrossTrancheDust = dust;
            if (dust > CROSS_TRANCHE_DUST) ++crossTrancheMoves;
        }
    }

    /// @dev A stale price stops borrowing (SPEC §6); the reporter re-pushes the current value (a zero move).
    function _refreshPrice(address c) internal {
        (uint256 value,, bool fresh) = oracle.floorPrice(c);
        if (fresh) return;
        vm.prank(reporter);
        oracle.pushPrice(c, value);
    }

    function _maxPrincipal(address c, CollectionParams memory p) internal view returns (uint256 max) {
        (uint256 appraisal,) = registry.appraisal(c, 10_000);
        max = appraisal * p.ltvBps / 10_000;
        max = _min(max, pool.availableCash());
        uint256 exposure = pool.exposure(c);
        max = exposure >= p.exposureCap ? 0 : _min(max, p.exposureCap - exposure);
    }

    /// @dev The first loan in `status`, scanning from a random start.
    function _findLoan(uint256 seed, LoanStatus status) internal view returns (bool, uint256) {
        uint256 n = loanIds.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = loanIds[(seed % n + i) % n];
            if (expectedStatus[id] == status) return (true, id);
        }
        return (false, 0);
    }

    function _setPaused(uint256 kind, bool isPaused, address caller) internal {
        vm.startPrank(caller);
        if (kind == 0) pool.setBorrowsPaused(isPaused);
        else if (kind == 1) pool.setDepositsPaused(isPaused);
        else registry.setCollectionPaused(address(collections[kind - 2]), isPaused);
        vm.stopPrank();
    }

    function _noProof() internal pure returns (RarityProof memory r) {
        r.proof = new bytes32[](0);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }
}
