// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IDelegateRegistry} from "../../src/interfaces/IDelegateRegistry.sol";
import {IStrataPool, Loan, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {LoanStore} from "../../src/pool/logic/LoanStore.sol";
import {LiquidationBase} from "../liquidation/LiquidationBase.sol";

/// @notice The loan record's formats (issue #30, `LoanStore`): new loans take two slots (a third only for a token id
///         at or above 2^32 - 1), and a loan stored by an earlier release (legacy: the collection in `collectionAt`, the
///         token id in the third word, a terms record with no collection) keeps working through every path that reads
///         its collection or token id: the view, repayment, liquidation and its sale, delegation.
contract LoanRecordFormatsTest is LiquidationBase {
    // PoolStorage field slots (storage-layout/StrataPool.json): `termsCount` shares slot 11 at byte 12.
    uint256 internal constant COUNTS_SLOT = POOL_BASE + 11;
    // `rateSum` (192 bits), `impairedCount` (32) and, since 0.4, `loanIdCursor` (32) share slot 7.
    uint256 internal constant ACCRUAL_SLOT = POOL_BASE + 7;
    uint256 internal constant LOANS_SLOT = POOL_BASE + 14;
    uint256 internal constant COLLECTIONS_SLOT = POOL_BASE + 15;
    uint256 internal constant TERMS_SLOT = POOL_BASE + 17;
    // erc7201:strata.storage.PoolDelegation (Delegation.sol): `delegateOf` is its first field.
    uint256 internal constant DELEGATION = 0xdf7a4057c979ee9f9ea5ebcf11b2dec777f4f87dfe2a31e57cb538c974508200;

    function _loanSlot(uint256 loanId) internal pure returns (bytes32) {
        return keccak256(abi.encode(loanId, LOANS_SLOT));
    }

    function _word(uint256 loanId, uint256 i) internal view returns (uint256) {
        return uint256(vm.load(address(pool), bytes32(uint256(_loanSlot(loanId)) + i)));
    }

    function _termsSlot(uint256 termsId) internal pure returns (bytes32) {
        return keccak256(abi.encode(termsId, TERMS_SLOT));
    }

    function _collectionSlot(address c) internal pure returns (bytes32) {
        return keccak256(abi.encode(c, COLLECTIONS_SLOT));
    }

    function test_newLoan_takesTwoSlots_withTheTokenIdInline() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        assertEq(_word(loanId, 1) >> 248, LoanStore.INLINE, "format byte");
        assertEq(uint32(_word(loanId, 1)), tokenId, "token id in the collectionId field");
        assertEq(_word(loanId, 2), 0, "no third word written");
        Loan memory l = pool.loan(loanId);
        assertEq(l.collection, address(apes));
        assertEq(l.tokenId, tokenId);
        assertEq(l.borrower, carol);
        assertEq(uint256(l.status), uint256(LoanStatus.Active));
        // The terms record carries its collection.
        uint256 termsId = uint32(_word(loanId, 1) >> 216);
        assertEq(address(uint160(uint256(vm.load(address(pool), _termsSlot(termsId))) >> 96)), address(apes));
    }

    function test_wideTokenId_takesAThirdSlot_andRoundTrips() public {
        uint256 tokenId = uint256(type(uint32).max); // the first id not stored inline
        apes.mint(carol, tokenId);
        vm.startPrank(carol);
        apes.setApprovalForAll(address(pool), true);
        uint256 loanId = pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof());
        vm.stopPrank();
        assertEq(_word(loanId, 1) >> 248, LoanStore.WIDE, "format byte");
        assertEq(_word(loanId, 2), tokenId, "token id in the third word");
        assertEq(pool.loan(loanId).tokenId, tokenId);
        // a huge id too
        uint256 huge = type(uint256).max;
        apes.mint(carol, huge);
        vm.prank(carol);
        uint256 hugeLoan = pool.borrow(address(apes), huge, PRINCIPAL, 30 days, type(uint256).max, _noProof());
        assertEq(pool.loan(hugeLoan).tokenId, huge);

        vm.warp(block.timestamp + 1 days);
        _fund(carol, 2 * PRINCIPAL);
        vm.startPrank(carol);
        pool.repay(loanId, type(uint256).max);
        pool.repay(hugeLoan, type(uint256).max);
        vm.stopPrank();
        assertEq(apes.ownerOf(tokenId), carol, "the wide id comes back");
        assertEq(apes.ownerOf(huge), carol);
    }

    /// @dev Rewrites loan `loanId` as an earlier release stored it: word 1 without the format byte and with the
    ///      collection's id, the token id in word 2, and its own terms record without a collection.
    function _makeLegacy(uint256 loanId, uint256 tokenId) internal {
        uint256 w1 = _word(loanId, 1);
        uint256 termsId = uint32(w1 >> 216);
        // a copy of the terms record, without its collection, at a fresh id
        uint256 counts = uint256(vm.load(address(pool), bytes32(COUNTS_SLOT)));
        uint256 legacyTermsId = uint32(counts >> 96) + 1;
        counts = (counts & ~(uint256(type(uint32).max) << 96)) | legacyTermsId << 96;
        vm.store(address(pool), bytes32(COUNTS_SLOT), bytes32(counts));
        uint256 terms = uint256(vm.load(address(pool), _termsSlot(termsId)));
        vm.store(address(pool), _termsSlot(legacyTermsId), bytes32(terms & type(uint96).max));
        // the collection's id (set at its first loan; `collectionAt[id]` points back)
        uint256 collectionId = uint32(uint256(vm.load(address(pool), _collectionSlot(address(apes)))) >> 96);
        assertGt(collectionId, 0);
        uint256 legacy = (w1 & ~(uint256(type(uint32).max) | uint256(0xff) << 248 | uint256(type(uint32).max) << 216))
            | collectionId | legacyTermsId << 216;
        vm.store(address(pool), bytes32(uint256(_loanSlot(loanId)) + 1), bytes32(legacy));
        vm.store(address(pool), bytes32(uint256(_loanSlot(loanId)) + 2), bytes32(tokenId));
        assertEq(_word(loanId, 1) >> 248, LoanStore.LEGACY);
    }

    function test_legacyLoan_readsAndRepaysAsBefore() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        Loan memory before = pool.loan(loanId);
        _makeLegacy(loanId, tokenId);
        Loan memory legacy = pool.loan(loanId);
        assertEq(keccak256(abi.encode(legacy)), keccak256(abi.encode(before)), "the view is unchanged");

        vm.warp(block.timestamp + 5 days);
        uint256 owed = lens.debt(loanId);
        _fund(dave, owed);
        vm.prank(dave);
        pool.repay(loanId, owed);
        assertEq(apes.ownerOf(tokenId), carol, "the NFT found through collectionAt and word 2 goes back");
        assertEq(pool.exposure(address(apes)), 0);
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Repaid));
        assertEq(_word(loanId, 1) >> 248, LoanStore.LEGACY, "a legacy record stays legacy");
    }

    function test_legacyLoan_liquidatesAndSells() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        _makeLegacy(loanId, tokenId);
        Loan memory before = pool.loan(loanId);
        _overdue(loanId);
        _pushPrice(address(apes), _floorA());
        _liquidate(loanId);
        assertEq(apes.ownerOf(tokenId), address(pool), "a legacy loan impaired since 0.4 keeps its NFT in the pool");
        assertEq(_word(loanId, 1) >> 248, LoanStore.LEGACY | LoanStore.POOL_HELD, "flagged, still legacy");
        Loan memory l = pool.loan(loanId);
        assertEq(l.collection, before.collection, "the flag is not part of the format");
        assertEq(l.tokenId, before.tokenId);
        assertEq(uint256(l.status), uint256(LoanStatus.Liquidating));
        _buy(dave, loanId);
        assertEq(apes.ownerOf(tokenId), dave, "the pool delivers it");
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Liquidated));
    }

    function test_impairment_flagsTheRecord_keepsTheToken_andTheViewReadsIt() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        address hot = makeAddr("hot");
        vm.prank(carol);
        pool.setDelegate(loanId, hot);
        _overdue(loanId);
        _pushPrice(address(apes), _floorA());
        _liquidate(loanId);
        assertEq(_word(loanId, 1) >> 248, LoanStore.INLINE | LoanStore.DELEGATED | LoanStore.POOL_HELD, "both flags");
        assertEq(pool.loan(loanId).tokenId, tokenId);
        assertEq(pool.loan(loanId).collection, address(apes));
        assertEq(apes.ownerOf(tokenId), address(pool));
        assertEq(apes.balanceOf(address(liquidator)), 0);
    }

    /// @dev The pool's delivery calls the collection without Solidity's code-size check: a record that decodes to no
    ///      collection must refuse to report a delivery that moved nothing (the buyer's payment is undone with it).
    function test_delivery_toNoCollection_reverts_andNothingMoves() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        _overdue(loanId);
        _pushPrice(address(apes), _floorA());
        _liquidate(loanId);
        uint256 termsId = uint32(_word(loanId, 1) >> 216);
        bytes32 slot = _termsSlot(termsId);
        vm.store(address(pool), slot, bytes32(uint256(vm.load(address(pool), slot)) & type(uint96).max));
        _fund(dave, 1_000_000 * USDC);
        vm.prank(dave);
        usdc.approve(address(liquidator), type(uint256).max);
        uint256 cash = pool.cash();
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.CollectionNotListed.selector, address(0)));
        vm.prank(dave);
        liquidator.buy(loanId, type(uint256).max);
        assertEq(apes.ownerOf(tokenId), address(pool));
        assertEq(pool.cash(), cash);
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Liquidating));
    }

    /// @dev A loan impaired before 0.4: its token went to the liquidator and its record has no `POOL_HELD` flag.
    ///      Whichever way its auction ends, the pool settles the books and delivers nothing; the liquidator delivers
    ///      the token it holds, to the same recipient as the pool would.
    function test_loanImpairedBefore04_itsTokenIsDeliveredByTheLiquidator() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        _overdue(loanId);
        _pushPrice(address(apes), _floorA());
        _liquidate(loanId);
        // Back to the 0.3 state of an impaired loan: the token in the liquidator, no flag.
        bytes32 slot = bytes32(uint256(_loanSlot(loanId)) + 1);
        vm.store(address(pool), slot, bytes32(uint256(vm.load(address(pool), slot)) & ~(LoanStore.POOL_HELD << 248)));
        vm.prank(address(pool));
        apes.transferFrom(address(pool), address(liquidator), tokenId);
        assertEq(_word(loanId, 1) >> 248, LoanStore.INLINE);

        uint256 snap = vm.snapshotState();
        _buy(dave, loanId);
        assertEq(apes.ownerOf(tokenId), dave, "sold: from the liquidator to the buyer");
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Liquidated));
        vm.revertToState(snap);

        uint256 owed = liquidator.auction(loanId).owed;
        _fund(dave, owed);
        vm.startPrank(dave);
        usdc.approve(address(liquidator), owed);
        liquidator.redeem(loanId);
        vm.stopPrank();
        assertEq(apes.ownerOf(tokenId), carol, "redeemed: from the liquidator to the borrower");
        vm.revertToState(snap);

        address recovery = makeAddr("recovery");
        vm.warp(block.timestamp + liquidator.auctionParams().recoveryTimeout);
        vm.prank(gov);
        liquidator.recoverUnsold(loanId, recovery, 0);
        assertEq(apes.ownerOf(tokenId), recovery, "recovered: from the liquidator to the recovery address");
        assertEq(uint256(pool.loan(loanId).status), uint256(LoanStatus.Recovering));
        assertEq(apes.balanceOf(address(liquidator)), 0);
    }

    /// @dev A collection whose current terms record predates 0.4 (its key lacks the version bit, the record has no
    ///      collection): its next loan makes a new record that carries the collection.
    function test_legacyTermsKey_makesANewRecordWithTheCollection() public {
        (uint256 first,) = _standardLoan();
        uint256 termsId = uint32(_word(first, 1) >> 216);
        bytes32 cs = _collectionSlot(address(apes));
        uint256 state = uint256(vm.load(address(pool), cs));
        vm.store(address(pool), cs, bytes32(state & ~(uint256(1) << (160 + 15)))); // the key's version bit
        uint256 terms = uint256(vm.load(address(pool), _termsSlot(termsId)));
        vm.store(address(pool), _termsSlot(termsId), bytes32(terms & type(uint96).max));

        (uint256 second, uint256 tokenId) = _borrow(carol, apes, PRINCIPAL, 30 days);
        uint256 newTermsId = uint32(_word(second, 1) >> 216);
        assertEq(newTermsId, termsId + 1, "a new record");
        assertEq(pool.loan(second).collection, address(apes));
        assertEq(pool.loan(second).tokenId, tokenId);
        assertEq(pool.loan(second).liquidationThresholdBps, pool.loan(first).liquidationThresholdBps);
        // and the next loan shares it
        (uint256 third,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        assertEq(uint32(_word(third, 1) >> 216), newTermsId);
    }

    function _delegateSlot(uint256 loanId) internal pure returns (bytes32) {
        return keccak256(abi.encode(loanId, DELEGATION));
    }

    /// @dev carol repays loan `loanId` in full; whether that read the loan's delegate slot.
    function _repayReadsDelegateSlot(uint256 loanId) internal returns (bool) {
        _fund(carol, PRINCIPAL);
        vm.record();
        vm.prank(carol);
        pool.repay(loanId, type(uint256).max);
        (bytes32[] memory reads,) = vm.accesses(address(pool));
        for (uint256 i; i < reads.length; ++i) {
            if (reads[i] == _delegateSlot(loanId)) return true;
        }
        return false;
    }

    /// @dev A loan never given a delegate leaves custody without its delegate slot being read (the flag, #30).
    function test_loanWithoutDelegate_repaysWithoutReadingTheDelegateSlot() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        assertEq(_word(loanId, 1) >> 248, LoanStore.INLINE, "no delegated flag");
        vm.warp(block.timestamp + 1 days);
        assertFalse(_repayReadsDelegateSlot(loanId), "delegate slot not read");
        assertEq(apes.ownerOf(tokenId), carol);
    }

    /// @dev A delegated loan is flagged, and its delegation is revoked as the token leaves custody.
    function test_delegatedLoan_isFlagged_andRevokedAtRepayment() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        address hot = makeAddr("hot");
        vm.prank(carol);
        pool.setDelegate(loanId, hot);
        assertEq(_word(loanId, 1) >> 248, LoanStore.INLINE | LoanStore.DELEGATED, "flagged");
        assertEq(pool.loan(loanId).tokenId, tokenId, "the flag is not part of the format");
        // cleared again: the flag stays (a later release reads the empty slot, which is correct)
        vm.prank(carol);
        pool.setDelegate(loanId, address(0));
        vm.prank(carol);
        pool.setDelegate(loanId, hot);
        IDelegateRegistry reg = pool.delegateRegistry();
        assertTrue(reg.checkDelegateForERC721(hot, address(pool), address(apes), tokenId, ""));
        vm.warp(block.timestamp + 1 days);
        assertTrue(_repayReadsDelegateSlot(loanId));
        assertFalse(reg.checkDelegateForERC721(hot, address(pool), address(apes), tokenId, ""), "revoked");
    }

    /// @dev A legacy loan (no flag byte at all) may have a delegation from before 0.4: it is still revoked.
    function test_legacyLoanWithADelegate_isRevokedAtImpairment() public {
        (uint256 loanId, uint256 tokenId) = _standardLoan();
        address hot = makeAddr("hot");
        vm.prank(carol);
        pool.setDelegate(loanId, hot);
        _makeLegacy(loanId, tokenId);
        IDelegateRegistry reg = pool.delegateRegistry();
        assertTrue(reg.checkDelegateForERC721(hot, address(pool), address(apes), tokenId, ""));
        _overdue(loanId);
        _pushPrice(address(apes), _floorA());
        _liquidate(loanId);
        assertFalse(reg.checkDelegateForERC721(hot, address(pool), address(apes), tokenId, ""), "revoked");
        assertEq(pool.delegateOf(loanId), address(0));
    }

    /// @dev A pool upgraded from 0.3 has no cursor yet (0) and its next id in the legacy `nextLoanId`: the first borrow
    ///      takes that id and moves the counter into the accrual slot; the legacy field is no longer written.
    function test_loanIdCursor_continuesFromTheLegacyCounter() public {
        (uint256 first,) = _standardLoan();
        assertEq(pool.nextLoanId(), first + 1);
        // as 0.3 left it: cursor 0, the legacy counter at 41
        uint256 accrual = uint256(vm.load(address(pool), bytes32(ACCRUAL_SLOT)));
        vm.store(address(pool), bytes32(ACCRUAL_SLOT), bytes32(accrual & type(uint224).max));
        uint256 counts = uint256(vm.load(address(pool), bytes32(COUNTS_SLOT)));
        vm.store(address(pool), bytes32(COUNTS_SLOT), bytes32((counts & ~uint256(type(uint64).max)) | 41));
        assertEq(pool.nextLoanId(), 41, "read from the legacy counter");
        (uint256 next,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        assertEq(next, 41, "the first borrow since the upgrade continues the sequence");
        assertEq(pool.nextLoanId(), 42);
        assertEq(uint256(vm.load(address(pool), bytes32(ACCRUAL_SLOT))) >> 224, 42, "cursor in the accrual slot");
        assertEq(uint64(uint256(vm.load(address(pool), bytes32(COUNTS_SLOT)))), 41, "legacy counter left as it was");
        (uint256 after_,) = _borrow(carol, apes, PRINCIPAL, 30 days);
        assertEq(after_, 42);
        assertEq(pool.loan(41).borrower, carol);
    }

    /// @dev The cursor is 32 bits: past 2^32 - 1 ids a borrow is refused and nothing moves. Reaching it on purpose
    ///      takes about four billion borrows (each a fresh loan and its gas), so it is no lever for a griefer.
    function test_loanIdCursor_refusesPastItsWidth_andNothingMoves() public {
        _standardLoan();
        uint256 accrual = uint256(vm.load(address(pool), bytes32(ACCRUAL_SLOT)));
        vm.store(
            address(pool),
            bytes32(ACCRUAL_SLOT),
            bytes32((accrual & type(uint224).max) | uint256(type(uint32).max) << 224)
        );
        uint256 tokenId = _mintNft(apes, carol);
        uint256 cash = pool.cash();
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 32, uint256(1) << 32));
        pool.borrow(address(apes), tokenId, PRINCIPAL, 30 days, type(uint256).max, _noProof());
        assertEq(apes.ownerOf(tokenId), carol, "the NFT stays with the borrower");
        assertEq(pool.cash(), cash, "no cash moved");
    }
}
