// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ERC20} from "solmate/tokens/ERC20.sol";
import {ERC721} from "solmate/tokens/ERC721.sol";
import {SafeTransferLib} from "solmate/utils/SafeTransferLib.sol";

import {LoanInterest} from "../../interest/LoanInterest.sol";
import {RateCurve, RateCurveLib} from "../../interest/RateCurve.sol";
import {RateIntegrity, RateState} from "../../interest/RateIntegrity.sol";
import {BorrowTerms} from "../../interfaces/ICollectionRegistry.sol";
import {IDelegateRegistry} from "../../interfaces/IDelegateRegistry.sol";
import {IStrataDelegation} from "../../interfaces/IStrataDelegation.sol";
import {IStrataPool, Impairment, Loan, LoanStatus, RarityProof} from "../../interfaces/IStrataPool.sol";
import {AssetTransfer} from "../../libraries/AssetTransfer.sol";
import {FixedPointMath} from "../../libraries/FixedPointMath.sol";
import {Delegation} from "../Delegation.sol";
import {PoolStorageLayout} from "../PoolStorageLayout.sol";
import {CollectionRules} from "./CollectionRules.sol";
import {LoanStore} from "./LoanStore.sol";
import {QueueHold} from "./QueueHold.sol";

/// @title LoanLogic
/// @notice The loan side of `StrataPool` (SPEC §3, §4): borrow, repay, extend, and the rules they share with the
///         pool's impairment. An external library linked into the pool (as MetaStreet v2 does with `BorrowLogic`): the
///         pool `delegatecall`s one function per entry point, which runs on the pool's own ERC-7201 storage
///         (`PoolStorageLayout.PoolStorage`), with the pool's `msg.sender`, balance and custody. It keeps the pool under the
///         EIP-170 code-size limit with room to grow; it holds no state and nobody calls it directly (every
///         function takes a storage pointer, so a direct call cannot reach any pool's storage).
/// @dev Access control and reentrancy protection stay in the pool's entry points (`nonReentrant`); this library
///      assumes them. Errors and events are the pool's (`IStrataPool`). The liquidator's settlement hook
///      (`completeLiquidation`) stays in the pool, which inlines `settle` from here: a sale or a redemption pays no
///      library call. `impair`, `markUnsold` and `settleRecovery` run here.
library LoanLogic {
    using FixedPointMath for uint256;
    using SafeCast for uint256;
    using SafeTransferLib for ERC20;

    /// @dev Set in every terms key made since 0.4 (see `_internTerms`).
    uint96 private constant TERMS_KEY_V2 = 1 << 15;

    /// @dev Amounts owed by a loan at `block.timestamp` (see `_due`).
    struct Due {
        uint256 interest;
        uint256 poolInterest;
        uint256 lateFee;
        uint256 netApr;
        uint256 protocolFeeBps;
        uint256 thresholdBps;
        uint256 penaltyBps;
        address collection;
    }

    /// @notice The arguments of `StrataPool.borrow`, with the cash the queue does not reserve (the pool's
    ///         `_syncRate` has just integrated the rate).
    struct BorrowArgs {
        address collection;
        uint256 tokenId;
        uint256 principal;
        uint256 duration;
        uint256 maxApr;
        uint256 availableCash;
        ERC20 asset;
    }

    // =====================================================================================================
    // Entry points (one delegatecall each)
    // =====================================================================================================

    /// @notice `StrataPool.borrow`: checks the loan (SPEC §3), prices it, records it, pulls the NFT and pays out.
    /// @param $ The pool's storage.
    /// @param a The borrow's arguments and the available cash.
    /// @param rarity The rarity multiplier and its proof (empty: 1×).
    /// @return loanId The new loan's id.
    function borrow(PoolStorageLayout.PoolStorage storage $, BorrowArgs calldata a, RarityProof calldata rarity)
        external
        returns (uint256 loanId)
    {
        if ($.borrowsPaused) revert IStrataPool.BorrowsPaused();
        BorrowTerms memory t = _checkBorrow($, a, rarity);
        uint256 principal = a.principal;
        // The origination fee rounds up (SPEC §2: in the pool's favour): `FixedPointMath.bpsUp`.
        uint256 fee = principal.bpsUp($.originationFeeBps);
        uint256 apr = _price($, t.curve, a.availableCash, principal, principal - fee);
        if (apr > a.maxApr) revert IStrataPool.AprAboveMax(apr, a.maxApr);

        // Effects.
        uint256 maturity = block.timestamp + a.duration;
        loanId = _recordLoan($, a.collection, t, a.tokenId, principal, maturity, apr);
        _addAccrual($, principal, _netApr(apr, $.protocolFeeBps), block.timestamp);
        $.totalPrincipal = (uint256($.totalPrincipal) + principal).toUint128();
        $.cash -= uint128(principal - fee);
        emit IStrataPool.LoanOriginated(
            loanId, msg.sender, a.collection, a.tokenId, principal, apr, maturity, t.rarityBps, fee
        );

        // Interactions: the NFT in (no hook into the borrower), then the principal out.
        ERC721(a.collection).transferFrom(msg.sender, address(this), a.tokenId);
        a.asset.safeTransfer(msg.sender, principal - fee);
    }

    /// @notice `StrataPool.repay`: interest first, then principal; a full repayment returns the NFT to the borrower.
    /// @param $ The pool's storage.
    /// @param loanId The loan.
    /// @param amount The most the payer pays (anything at or above the debt closes the loan).
    /// @param delegateRegistry The pool's delegate registry: a full repayment revokes the loan's delegation, if any,
    ///        before the NFT leaves (SPEC §3.7, never reverting: `Delegation.release`).
    /// @param asset The pool's asset (an immutable of the pool's implementation).
    /// @return paid What was taken from the payer.
    function repay(
        PoolStorageLayout.PoolStorage storage $,
        uint256 loanId,
        uint256 amount,
        IDelegateRegistry delegateRegistry,
        ERC20 asset
    ) external returns (uint256 paid) {
        PoolStorageLayout.StoredLoan storage l = active($, loanId);
        if (amount == 0) revert IStrataPool.ZeroAmount();
        Due memory d = due($, l);
        uint256 principal = l.principal;
        uint256 principalPaid;
        if (amount >= principal + d.interest + d.lateFee) {
            // Closed: the record keeps its last principal (history); only the status changes.
            removeAccrual($, principal, d.netApr, l.start);
            paid = principal + d.interest + d.lateFee;
            principalPaid = principal;
            l.status = LoanStatus.Repaid;
        } else {
            if (block.timestamp > l.maturity) revert IStrataPool.LoanPastMaturity(loanId, l.maturity);
            if (amount < d.interest) revert IStrataPool.PaymentBelowInterest(amount, d.interest);
            paid = amount;
            principalPaid = amount - d.interest;
            _moveAccrual($, principal * d.netApr, l.start, (principal - principalPaid) * d.netApr);
            l.principal = uint96(principal - principalPaid);
            l.start = uint40(block.timestamp);
        }
        address collectionAddr = d.collection;
        $.collections[collectionAddr].exposure -= uint96(principalPaid);
        $.totalPrincipal -= uint128(principalPaid);
        $.cash = (uint256($.cash) + principalPaid + d.poolInterest + d.lateFee).toUint128();
        _addProtocolFee($, d.interest - d.poolInterest);
        emit IStrataPool.LoanRepaid(
            loanId,
            msg.sender,
            principalPaid,
            d.interest,
            d.lateFee,
            d.interest - d.poolInterest,
            principal - principalPaid
        );

        AssetTransfer.pullExact(asset, msg.sender, address(this), paid);
        if (principalPaid == principal) {
            uint256 tokenId = LoanStore.tokenIdOf(l);
            if (LoanStore.mayHaveDelegate(l)) Delegation.release(delegateRegistry, loanId, collectionAddr, tokenId);
            ERC721(collectionAddr).transferFrom(address(this), l.borrower, tokenId);
        }
    }

    /// @notice `StrataPool.extend`: pays the interest due and restarts the term at the current curve rate.
    /// @param $ The pool's storage.
    /// @param loanId The loan (the caller must be its borrower).
    /// @param newDuration The new term, from now.
    /// @param maxApr The highest apr the borrower accepts.
    /// @param availableCash Cash not reserved for the queue (the pool's `_syncRate` has just integrated the rate).
    /// @param asset The pool's asset (an immutable of the pool's implementation).
    /// @return newApr The apr locked for the new term.
    function extend(
        PoolStorageLayout.PoolStorage storage $,
        uint256 loanId,
        uint256 newDuration,
        uint256 maxApr,
        uint256 availableCash,
        ERC20 asset
    ) external returns (uint256 newApr) {
        PoolStorageLayout.StoredLoan storage l = active($, loanId);
        if (msg.sender != l.borrower) revert IStrataPool.NotBorrower(loanId, msg.sender);
        if (block.timestamp > l.maturity) revert IStrataPool.LoanPastMaturity(loanId, l.maturity);
        if ($.borrowsPaused) revert IStrataPool.BorrowsPaused();
        Due memory d = due($, l);
        newApr = _extensionApr($, l, loanId, d, newDuration, availableCash);
        if (newApr > maxApr) revert IStrataPool.AprAboveMax(newApr, maxApr);
        uint256 principal = l.principal;

        _moveAccrual($, principal * d.netApr, l.start, principal * _netApr(newApr, d.protocolFeeBps));
        l.apr = uint64(newApr);
        l.start = uint40(block.timestamp);
        l.maturity = uint40(block.timestamp + newDuration);
        $.cash = (uint256($.cash) + d.poolInterest).toUint128();
        _addProtocolFee($, d.interest - d.poolInterest);
        emit IStrataPool.LoanExtended(loanId, d.interest, newApr, block.timestamp + newDuration);

        if (d.interest > 0) AssetTransfer.pullExact(asset, msg.sender, address(this), d.interest);
    }

    /// @dev The apr of loan `l`'s extension by `newDuration`: the collection's curve (`CollectionRules.extensionCurve`,
    ///      which checks the loan's health at a fresh price and the term, on the pool's copy of the configuration), at
    ///      the utilization an extension is priced at.
    function _extensionApr(
        PoolStorageLayout.PoolStorage storage $,
        PoolStorageLayout.StoredLoan storage l,
        uint256 loanId,
        Due memory d,
        uint256 newDuration,
        uint256 availableCash
    ) private view returns (uint256) {
        RateCurve memory curve = CollectionRules.extensionCurve(
            $.collectionConfigs[d.collection],
            loanId,
            d.collection,
            l.rarityBps,
            d.thresholdBps,
            l.principal + d.interest,
            newDuration
        );
        return _price($, curve, availableCash, 0, 0);
    }

    /// @notice `StrataPool.borrowUtilization`: the utilization a borrow of `principal` paying out `cashOut` (an
    ///         extension: `0, 0`) would be priced at now, with the averages integrated up to now as `borrow` will.
    /// @param $ The pool's storage.
    /// @param availableCash Cash not reserved for the queue.
    /// @param principal The loan's principal.
    /// @param cashOut What would leave the pool (`cashOut <= principal`).
    /// @return The utilization, WAD.
    function borrowUtilization(
        PoolStorageLayout.PoolStorage storage $,
        uint256 availableCash,
        uint256 principal,
        uint256 cashOut
    ) external view returns (uint256) {
        uint256 borrowed = $.totalPrincipal;
        (uint256 u, uint256 inv) = RateIntegrity.current($.rate, borrowed, availableCash);
        return RateIntegrity.pricingUtilization(
            u, inv, RateIntegrity.txStartCash(availableCash), borrowed, availableCash, principal, cashOut
        );
    }

    // =====================================================================================================
    // Shared with the pool (internal: inlined into the pool's `impair`, one source per rule)
    // =====================================================================================================

    /// @dev The curve's apr at the utilization that prices a loan of `principal` paying out `cashOut` (0, 0: an
    ///      extension), from the averages the pool has just synced (SPEC §3 "Rate integrity", `RateIntegrity`).
    function _price(
        PoolStorageLayout.PoolStorage storage $,
        RateCurve memory curve,
        uint256 available,
        uint256 principal,
        uint256 cashOut
    ) private view returns (uint256) {
        RateState storage r = $.rate;
        uint256 u = RateIntegrity.pricingUtilization(
            r.utilizationAvg,
            r.inverseTotalAvg,
            RateIntegrity.txStartCash(available),
            $.totalPrincipal,
            available,
            principal,
            cashOut
        );
        return RateCurveLib.apr(curve, u);
    }

    /// @dev `rateSum` is 192-bit: each term is below 2^160 (principal < 2^96, apr < 2^64) and their principals sum
    ///      below 2^128 (the principal ledger), so the sum stays below 2^192; the checked add would revert otherwise.
    ///      It shares its slot with `impairedCount`, which every NAV read then gets for free.
    function _addAccrual(PoolStorageLayout.PoolStorage storage $, uint256 principal, uint256 netApr, uint256 start)
        private
    {
        uint256 rate = principal * netApr;
        $.rateSum += uint192(rate);
        $.rateTimeSum += rate * start;
    }

    /// @dev Replaces a loan's accrual `oldRate` (principal × net apr) since `oldStart` by `newRate` from now, in one
    ///      write of each sum (a partial repayment, an extension): the same result as `removeAccrual` then
    ///      `_addAccrual`, with the bounds `_addAccrual` states.
    function _moveAccrual(PoolStorageLayout.PoolStorage storage $, uint256 oldRate, uint256 oldStart, uint256 newRate)
        private
    {
        $.rateSum = $.rateSum - uint192(oldRate) + uint192(newRate);
        $.rateTimeSum = $.rateTimeSum - oldRate * oldStart + newRate * block.timestamp;
    }

    /// @notice Takes a loan's accrual out of the closed-form NAV sums (repay, impair).
    function removeAccrual(PoolStorageLayout.PoolStorage storage $, uint256 principal, uint256 netApr, uint256 start)
        internal
    {
        uint256 rate = principal * netApr;
        $.rateSum -= uint192(rate);
        $.rateTimeSum -= rate * start;
    }

    function _netApr(uint256 apr, uint256 protocolFeeBps) private pure returns (uint256) {
        return protocolFeeBps == 0 ? apr : apr.bpsDown(FixedPointMath.BPS - protocolFeeBps);
    }

    /// @notice What a loan owes now: interest at its apr (rounded up), the pool's share net of the protocol fee
    ///         (rounded up), and the late fee once past maturity.
    function due(PoolStorageLayout.PoolStorage storage $, PoolStorageLayout.StoredLoan storage l)
        internal
        view
        returns (Due memory d)
    {
        PoolStorageLayout.LoanTerms memory t = $.terms[l.termsId];
        uint256 principal = l.principal;
        uint256 elapsed = block.timestamp - l.start;
        d.protocolFeeBps = t.protocolFeeBps;
        d.thresholdBps = t.liquidationThresholdBps;
        d.penaltyBps = t.liquidationPenaltyBps;
        d.netApr = _netApr(l.apr, t.protocolFeeBps);
        d.interest = LoanInterest.interest(principal, l.apr, elapsed);
        d.poolInterest = t.protocolFeeBps == 0 ? d.interest : LoanInterest.interest(principal, d.netApr, elapsed);
        d.lateFee = LoanInterest.lateFee(principal, t.lateFeeBps, l.maturity, block.timestamp);
        d.collection = LoanStore.collectionOf($, l, t);
    }

    function _addProtocolFee(PoolStorageLayout.PoolStorage storage $, uint256 fee) private {
        if (fee > 0) $.protocolFees = (uint256($.protocolFees) + fee).toUint128();
    }

    /// @dev The collection's id and the id of the terms record matching its current parameters, creating either
    ///      on first use. Loans made under unchanged terms share one record; the comparison is against a packed key
    ///      kept in the collection's exposure slot, so the common case reads no extra storage.
    function _internTerms(
        PoolStorageLayout.PoolStorage storage $,
        PoolStorageLayout.CollectionState storage cs,
        address collectionAddr,
        BorrowTerms memory c
    ) private returns (uint32 termsId) {
        uint32 id = cs.id;
        if (id == 0) {
            id = ++$.collectionCount;
            cs.id = id;
            $.collectionAt[id] = collectionAddr;
        }
        uint16 protocolFeeBps = $.protocolFeeBps;
        uint32 gracePeriod = $.gracePeriod;
        // `TERMS_KEY_V2` (bit 15: above any bps) is in no key made before 0.4, whose records carry no collection:
        // the first loan of a collection after the upgrade makes it a new record (`LoanStore`).
        uint96 key = uint96(c.liquidationThresholdBps) | uint96(c.liquidationPenaltyBps) << 16 | uint96(c.lateFeeBps)
            << 32 | uint96(protocolFeeBps) << 48 | uint96(gracePeriod) << 64 | TERMS_KEY_V2;
        termsId = cs.termsId;
        if (termsId != 0 && cs.termsKey == key) return termsId;
        termsId = ++$.termsCount;
        $.terms[termsId] = PoolStorageLayout.LoanTerms({
            liquidationThresholdBps: c.liquidationThresholdBps,
            liquidationPenaltyBps: c.liquidationPenaltyBps,
            lateFeeBps: c.lateFeeBps,
            protocolFeeBps: protocolFeeBps,
            gracePeriod: gracePeriod,
            collection: collectionAddr
        });
        cs.termsId = termsId;
        cs.termsKey = key;
    }

    /// @dev The pool-level rules of a new loan (amount, ownership, cash not owed to the queue) and the collection-level
    ///      ones (`CollectionRules.borrowTerms`: listing, pause, duration, rarity, LTV at a fresh price, exposure cap)
    ///      on the pool's copy of the collection's configuration (issue #30: no call to the registry). The rarity root
    ///      is read only for a borrow that brings a proof.
    function _checkBorrow(PoolStorageLayout.PoolStorage storage $, BorrowArgs calldata a, RarityProof calldata rarity)
        private
        view
        returns (BorrowTerms memory)
    {
        uint256 principal = a.principal;
        if (principal == 0) revert IStrataPool.ZeroAmount();
        if (principal > type(uint96).max) revert IStrataPool.PrincipalTooLarge(principal);
        address collectionAddr = a.collection;
        BorrowTerms memory t = CollectionRules.borrowTerms(
            $.collectionConfigs[collectionAddr],
            rarity.proof.length == 0 ? bytes32(0) : $.rarityRoots[collectionAddr],
            collectionAddr,
            a.tokenId,
            principal,
            a.duration,
            $.collections[collectionAddr].exposure + principal,
            rarity
        );
        if (ERC721(collectionAddr).ownerOf(a.tokenId) != msg.sender) {
            revert IStrataPool.NotTokenOwner(collectionAddr, a.tokenId, msg.sender);
        }
        if (principal > a.availableCash) revert IStrataPool.InsufficientCash(principal, a.availableCash);
        return t;
    }

    /// @dev Writes the loan (two slots, `LoanStore.write`) and its collection's exposure and terms.
    function _recordLoan(
        PoolStorageLayout.PoolStorage storage $,
        address collectionAddr,
        BorrowTerms memory t,
        uint256 tokenId,
        uint256 principal,
        uint256 maturity,
        uint256 apr
    ) private returns (uint256 loanId) {
        loanId = LoanStore.takeId($);
        PoolStorageLayout.StoredLoan storage l = $.loans[loanId];
        PoolStorageLayout.CollectionState storage cs = $.collections[collectionAddr];
        uint32 termsId = _internTerms($, cs, collectionAddr, t);
        cs.exposure = uint96(cs.exposure + principal);
        LoanStore.write(l, msg.sender, principal, tokenId, maturity, apr, t.rarityBps, termsId);
    }

    /// @notice `StrataPool.impair` (the pool has checked the caller is the liquidator and integrated the rate): writes
    ///         loan `loanId` down to its book value (principal plus the pool's share of the interest due), takes it
    ///         out of the pool's principal and accrual and revokes its delegation (never reverting). The token stays in
    ///         the pool (issue #30, SPEC §7.1), flagged `LoanStore.POOL_HELD`: the pool delivers it when the auction
    ///         ends (`completeLiquidation`, `markUnsold`).
    /// @param $ The pool's storage.
    /// @param delegateRegistry The pool's delegate registry (SPEC §3.7: revoked before the token can leave).
    /// @param loanId The loan, which must be active.
    /// @return imp The debt, the liquidation penalty (rounded Up) and the book value the auction starts from.
    function impair(PoolStorageLayout.PoolStorage storage $, IDelegateRegistry delegateRegistry, uint256 loanId)
        external
        returns (Impairment memory imp)
    {
        PoolStorageLayout.StoredLoan storage l = active($, loanId);
        Due memory d = due($, l);
        address collectionAddr = d.collection;
        uint256 principal = l.principal;
        uint256 book = principal + d.poolInterest;
        removeAccrual($, principal, d.netApr, l.start);
        $.totalPrincipal -= uint128(principal);
        $.collections[collectionAddr].exposure -= uint96(principal);
        l.status = LoanStatus.Liquidating;
        l.principal = book.toUint96();
        ++$.impairedCount;
        // Beside `liquidator`, which the pool's access check has just read: the update is a warm write.
        $.impairedBook += uint96(book);
        l.start = uint40(block.timestamp);
        LoanStore.markPoolHeld(l);
        emit IStrataPool.LoanImpaired(loanId, book, principal + d.interest);

        imp = Impairment({
            debt: principal + d.interest,
            penalty: (principal + d.interest).bpsUp(d.penaltyBps),
            bookValue: book,
            overdueAfter: uint256(l.maturity) + $.terms[l.termsId].gracePeriod,
            collection: collectionAddr,
            rarityBps: l.rarityBps,
            liquidationThresholdBps: d.thresholdBps,
            oracle: $.collectionConfigs[collectionAddr].oracle
        });
        if (LoanStore.mayHaveDelegate(l)) {
            Delegation.release(delegateRegistry, loanId, collectionAddr, LoanStore.tokenIdOf(l));
        }
    }

    /// @notice `StrataPool.markUnsold` (the pool has checked the caller is the liquidator): the auction of loan
    ///         `loanId` ended unsold and its NFT goes to governance's recovery address `to`. The loan stays in
    ///         liquidation (counted in `impairedCount`) at `estimate`, so deposits keep pricing it and the lines stay
    ///         held as while the auction ran, until `settleRecovery` books the sale (SPEC §7.5); `book - estimate` is
    ///         realised now.
    /// @param $ The pool's storage.
    /// @param loanId The loan, which must be in liquidation.
    /// @param estimate What governance expects the NFT to bring, at most the loan's book value.
    /// @param to The recovery address (the liquidator has checked it is not zero).
    /// @return delivered Whether the pool held the NFT and sent it to `to` (`deliver`); if not, the liquidator does.
    function markUnsold(PoolStorageLayout.PoolStorage storage $, uint256 loanId, uint256 estimate, address to)
        external
        returns (bool delivered)
    {
        PoolStorageLayout.StoredLoan storage l = $.loans[loanId];
        if (l.status != LoanStatus.Liquidating) revert IStrataPool.LoanNotLiquidating(loanId);
        uint256 book = l.principal;
        if (estimate > book) revert IStrataPool.RecoveryEstimateAboveBook(loanId, estimate, book);
        uint256 held = QueueHold.heldLinesNow($);
        l.status = LoanStatus.Recovering;
        l.principal = uint96(estimate);
        $.impairedBook -= uint96(book - estimate);
        emit IStrataPool.RecoveryPending(loanId, book, estimate);
        QueueHold.startCooldowns($, held);
        return deliver($, l, to);
    }

    /// @notice Sends loan `l`'s token from the pool to `to` if the pool holds it through the liquidation
    ///         (`LoanStore.POOL_HELD`, every loan impaired since 0.4), after the books have settled. Internal: inlined
    ///         into the pool's `completeLiquidation` and into `markUnsold` here.
    /// @return delivered Whether it did; if not, the token is the liquidator's to deliver (a loan impaired before
    ///         0.4).
    function deliver(PoolStorageLayout.PoolStorage storage $, PoolStorageLayout.StoredLoan storage l, address to)
        internal
        returns (bool delivered)
    {
        (address collection, uint256 tokenId, uint256 formatByte) = LoanStore.locate($, l);
        if (formatByte & LoanStore.POOL_HELD == 0) return false;
        // `transferFrom` without Solidity's code-size check (issue #30: `buy`'s ceiling); a revert is bubbled up. A
        // call to an address without code would succeed and move nothing: the collection is the one the pool called
        // to take the token in custody, and since EIP-6780 (cancun, this build's target) code cannot leave an account
        // after its creating transaction; a record that decodes to no collection at all reverts here
        // (`CollectionNotListed(address(0))`).
        assembly ("memory-safe") {
            if iszero(collection) {
                mstore(0, shl(224, 0xd93cb242))
                mstore(4, 0)
                revert(0, 0x24)
            }
            let m := mload(0x40)
            mstore(m, shl(224, 0x23b872dd)) // transferFrom(address,address,uint256)
            mstore(add(m, 0x04), address())
            mstore(add(m, 0x24), to)
            mstore(add(m, 0x44), tokenId)
            if iszero(call(gas(), collection, 0, m, 0x64, 0, 0)) {
                returndatacopy(m, 0, returndatasize())
                revert(m, returndatasize())
            }
        }
        return true;
    }

    /// @notice `StrataPool.settleRecovery` (governance; the pool has integrated the rate): books the sale of unsold
    ///         loan `loanId`'s NFT, `amount` pulled from the caller, against the loan's recovery estimate.
    /// @param $ The pool's storage.
    /// @param asset The pool's asset (an immutable of the pool's implementation).
    /// @param loanId The loan, whose recovery must be pending (`LoanNotRecovering`).
    /// @param amount What the sale brought (0: a write-off).
    function settleRecovery(PoolStorageLayout.PoolStorage storage $, ERC20 asset, uint256 loanId, uint256 amount)
        external
    {
        PoolStorageLayout.StoredLoan storage l = $.loans[loanId];
        if (l.status != LoanStatus.Recovering) revert IStrataPool.LoanNotRecovering(loanId);
        settle($, l, loanId, amount);
        if (amount > 0) AssetTransfer.pullExact(asset, msg.sender, address(this), amount);
    }

    /// @notice Settles loan `l` (`loanId`, in liquidation or awaiting its recovery) once: it leaves the impaired books
    ///         at its book value (or estimate), `toPool` entering cash; the difference is a realised loss or a gain
    ///         (`LiquidationSettled`). A line the loans in liquidation held, with requests waiting, starts its cooldown
    ///         (SPEC §5.7). Internal: inlined into the pool's `completeLiquidation` and into `settleRecovery` here.
    function settle(
        PoolStorageLayout.PoolStorage storage $,
        PoolStorageLayout.StoredLoan storage l,
        uint256 loanId,
        uint256 toPool
    ) internal {
        uint256 held = QueueHold.heldLinesNow($);
        l.status = LoanStatus.Liquidated;
        uint256 book = l.principal;
        --$.impairedCount;
        $.impairedBook -= uint96(book);
        $.cash = (uint256($.cash) + toPool).toUint128();
        emit IStrataPool.LiquidationSettled(loanId, toPool, book.zeroFloorSub(toPool), toPool.zeroFloorSub(book));
        QueueHold.startCooldowns($, held);
    }

    /// @notice `StrataPool.setDelegate` and the delegate of `borrow`'s overload: points active loan `loanId`'s
    ///         delegation at `delegate` (zero clears). Only the loan's borrower (`msg.sender` of the pool call).
    /// @param $ The pool's storage.
    /// @param delegateRegistry The pool's delegate registry (zero: `DelegationDisabled`).
    /// @param loanId The loan, which must be active.
    /// @param delegate The new delegate (zero: none).
    function setDelegate(
        PoolStorageLayout.PoolStorage storage $,
        IDelegateRegistry delegateRegistry,
        uint256 loanId,
        address delegate
    ) external {
        PoolStorageLayout.StoredLoan storage l = active($, loanId);
        if (msg.sender != l.borrower) revert IStrataPool.NotBorrower(loanId, msg.sender);
        (address collection, uint256 tokenId,) = LoanStore.locate($, l);
        if (delegate != address(0)) LoanStore.markDelegated(l);
        Delegation.set(delegateRegistry, loanId, collection, tokenId, delegate);
    }

    /// @notice `StrataPool.revokeStaleDelegate`: retries the revocation of closed loan `loanId`'s delegation that
    ///         failed when its token left custody (anyone may call; reverts if the registry still does).
    /// @param $ The pool's storage.
    /// @param delegateRegistry The pool's delegate registry.
    /// @param loanId The loan, which must no longer be active (`LoanStillActive`).
    function revokeStaleDelegate(
        PoolStorageLayout.PoolStorage storage $,
        IDelegateRegistry delegateRegistry,
        uint256 loanId
    ) external {
        PoolStorageLayout.StoredLoan storage l = $.loans[loanId];
        if (l.status == LoanStatus.Active) revert IStrataDelegation.LoanStillActive(loanId);
        (address collection, uint256 tokenId,) = LoanStore.locate($, l);
        Delegation.retry(delegateRegistry, loanId, collection, tokenId);
    }

    /// @notice `StrataPool.loan`: loan `loanId` as the pool's interface shows it (any format, `LoanStore`).
    /// @param $ The pool's storage.
    /// @param loanId The loan (an id never issued reads as a zeroed record).
    /// @return v The loan with the terms locked at its origination.
    function loanOf(PoolStorageLayout.PoolStorage storage $, uint256 loanId) external view returns (Loan memory v) {
        PoolStorageLayout.StoredLoan storage l = $.loans[loanId];
        PoolStorageLayout.LoanTerms memory t = $.terms[l.termsId];
        v.borrower = l.borrower;
        v.start = l.start;
        v.maturity = l.maturity;
        v.status = l.status;
        v.collection = LoanStore.collectionOf($, l, t);
        v.principal = l.principal;
        v.tokenId = LoanStore.tokenIdOf(l);
        v.apr = l.apr;
        v.rarityBps = l.rarityBps;
        v.liquidationThresholdBps = t.liquidationThresholdBps;
        v.liquidationPenaltyBps = t.liquidationPenaltyBps;
        v.lateFeeBps = t.lateFeeBps;
        v.protocolFeeBps = t.protocolFeeBps;
        v.gracePeriod = t.gracePeriod;
        if (l.status >= LoanStatus.Liquidating) v.impairedAt = l.start;
    }

    /// @notice Loan `loanId`, which must be active.
    function active(PoolStorageLayout.PoolStorage storage $, uint256 loanId)
        internal
        view
        returns (PoolStorageLayout.StoredLoan storage l)
    {
        l = $.loans[loanId];
        if (l.status != LoanStatus.Active) revert IStrataPool.LoanNotActive(loanId);
    }
}
