// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC4626Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/extensions/ERC4626Upgradeable.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {Governed} from "../../src/governance/Governed.sol";
import {IStrataPool, Tranche} from "../../src/interfaces/IStrataPool.sol";
import {ITrancheVault} from "../../src/interfaces/ITrancheVault.sol";
import {TrancheVault} from "../../src/vaults/TrancheVault.sol";
import {StrataTestBase} from "../utils/StrataTestBase.sol";

/// @notice The redemption queue (SPEC §5 Liquidity): FIFO order, partial service, price at service, cancel, claim,
///         access control, pause, subordination, queue priority over borrows and instant withdrawals, bounded gas.
contract RedemptionQueueTest is StrataTestBase {
    address internal borrower = makeAddr("borrower");
    address internal stranger = makeAddr("stranger");
    uint256[] internal loans;

    uint256 internal constant LOAN = 50_000 * USDC;

    function setUp() public override {
        super.setUp();
        // NAV 250k: junior 100k (alice), senior 100k (bob) + 50k (carol).
        _deposit(Tranche.Junior, alice, 100_000 * USDC);
        _deposit(Tranche.Senior, bob, 100_000 * USDC);
        _deposit(Tranche.Senior, carol, 50_000 * USDC);
    }

    // ------------------------------------------------------------------ helpers

    /// @dev Lends out every unit of available cash, in loans of at most 50k against apes (30 days).
    function _lendOutAll() internal {
        uint256 avail = pool.availableCash();
        while (avail > 0) {
            uint256 principal = avail < LOAN ? avail : LOAN;
            (uint256 loanId,) = _borrow(borrower, apes, principal, 30 days);
            loans.push(loanId);
            avail = pool.availableCash();
        }
        assertEq(pool.cash(), 0, "all lent out");
    }

    function _repay(uint256 loanId) internal returns (uint256 owed) {
        owed = lens.debt(loanId);
        _fund(borrower, owed);
        vm.prank(borrower);
        pool.repay(loanId, owed);
    }

    function _request(TrancheVault v, address who, uint256 shares) internal returns (uint256 id) {
        vm.prank(who);
        id = v.requestRedeem(shares, who, who);
    }

    function _process(TrancheVault v, uint256 n) internal returns (uint256 served) {
        vm.prank(keeper);
        served = v.processQueue(n);
    }

    function _req(TrancheVault v, uint256 id) internal view returns (ITrancheVault.RedemptionRequest memory) {
        return v.redeemRequest(id);
    }

    function _assertRequest(
        TrancheVault v,
        uint256 id,
        address controller,
        uint256 pending,
        uint256 claimableShares,
        uint256 claimableAssets
    ) internal view {
        ITrancheVault.RedemptionRequest memory r = v.redeemRequest(id);
        assertEq(r.controller, controller, "controller");
        assertEq(r.pendingShares, pending, "pending shares");
        assertEq(r.claimableShares, claimableShares, "claimable shares");
        assertEq(r.claimableAssets, claimableAssets, "claimable assets");
        assertEq(v.pendingRedeemRequest(id, controller), pending, "ERC-7540 pending");
        assertEq(v.claimableRedeemRequest(id, controller), claimableShares, "ERC-7540 claimable");
    }

    function _assertSolvent() internal view {
        assertGe(usdc.balanceOf(address(pool)), pool.cash() + pool.protocolFees(), "pool balance >= cash + fees");
        assertEq(usdc.balanceOf(address(senior)), senior.totalClaimableAssets(), "senior vault holds its claims");
        assertEq(usdc.balanceOf(address(junior)), junior.totalClaimableAssets(), "junior vault holds its claims");
    }

    // ------------------------------------------------------------------ request

    function test_requestRedeem_locksSharesAndBooksPending() public {
        _lendOutAll();
        uint256 shares = senior.balanceOf(bob) / 4;
        uint256 before = senior.balanceOf(bob);
        uint256 supply = senior.totalSupply();
        vm.expectEmit(address(senior));
        emit ITrancheVault.RedeemRequest(bob, bob, 1, bob, shares);
        uint256 id = _request(senior, bob, shares);
        assertEq(id, 1);
        assertEq(senior.balanceOf(bob), before - shares);
        assertEq(senior.balanceOf(address(senior)), shares, "locked in the vault");
        assertEq(senior.totalSupply(), supply, "supply unchanged until served");
        _assertRequest(senior, 1, bob, shares, 0, 0);
        assertEq(senior.pendingRedeemRequest(1, carol), 0, "other controller");
        (uint256 pendingShares, uint256 poolSupply) = pool.queueState(Tranche.Senior);
        assertEq(pendingShares, shares);
        assertEq(poolSupply, supply);
        (uint256 head, uint256 count, uint256 pending) = senior.queue();
        assertEq(head, 0);
        assertEq(count, 1);
        assertEq(pending, shares);
        assertEq(_request(senior, carol, 1), 2, "ids grow by one");
    }

    function test_requestRedeem_reverts() public {
        vm.startPrank(bob);
        vm.expectRevert(ITrancheVault.ZeroAmount.selector);
        senior.requestRedeem(0, bob, bob);
        vm.expectRevert(Governed.ZeroAddress.selector);
        senior.requestRedeem(1, address(0), bob);
        uint256 bal = senior.balanceOf(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, bob, bal, bal + 1));
        senior.requestRedeem(bal + 1, bob, bob);
        vm.stopPrank();
        vm.expectRevert(ITrancheVault.ZeroMaxRequests.selector);
        senior.processQueue(0);
    }

    function test_requestRedeem_allowanceAndOperator() public {
        _lendOutAll();
        uint256 shares = 1e12;
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, stranger, 0, shares));
        senior.requestRedeem(shares, stranger, bob);

        // An ERC-20 allowance over the shares is spent.
        vm.prank(bob);
        senior.approve(stranger, shares);
        vm.prank(stranger);
        uint256 id = senior.requestRedeem(shares, carol, bob);
        assertEq(senior.allowance(bob, stranger), 0);
        _assertRequest(senior, id, carol, shares, 0, 0);

        // An operator needs no allowance.
        vm.expectEmit(address(senior));
        emit ITrancheVault.OperatorSet(bob, dave, true);
        vm.prank(bob);
        assertTrue(senior.setOperator(dave, true));
        assertTrue(senior.isOperator(bob, dave));
        vm.prank(dave);
        id = senior.requestRedeem(shares, dave, bob);
        _assertRequest(senior, id, dave, shares, 0, 0);
        assertEq(senior.balanceOf(address(senior)), 2 * shares);
    }

    // ------------------------------------------------------------------ FIFO and partial service

    function test_fifoAcrossLenders_partialServiceOfHead() public {
        _lendOutAll();
        uint256 s1 = senior.balanceOf(bob) * 3 / 10; // ~30k
        uint256 s2 = senior.balanceOf(carol) * 8 / 10; // ~40k
        uint256 s3 = senior.balanceOf(bob) / 10; // ~10k
        _request(senior, bob, s1);
        _request(senior, carol, s2);
        _request(senior, bob, s3);
        assertEq(_process(senior, 10), 0, "no cash, nothing served");

        vm.warp(block.timestamp + 5 days);
        _repay(loans[0]); // ~50k of cash

        // Request 1 in full at today's price.
        uint256 a1 = senior.previewRedeem(s1);
        uint256 priceBefore = senior.convertToAssets(1e18);
        vm.expectEmit(address(senior));
        emit ITrancheVault.RedeemServed(1, bob, a1, s1, 0);
        assertEq(_process(senior, 1), 1);
        _assertRequest(senior, 1, bob, 0, s1, a1);
        assertGe(senior.convertToAssets(1e18), priceBefore, "service never lowers the price");
        (uint256 head,,) = senior.queue();
        assertEq(head, 1);

        // Request 2 in part: exactly the cash left, shares rounded up; request 3 waits behind it.
        uint256 cap = pool.servable(Tranche.Senior);
        assertEq(cap, pool.cash());
        assertLt(cap, senior.previewRedeem(s2));
        uint256 part = senior.previewWithdraw(cap);
        assertEq(_process(senior, 10), 1);
        _assertRequest(senior, 2, carol, s2 - part, part, cap);
        _assertRequest(senior, 3, bob, s3, 0, 0);
        assertEq(pool.cash(), 0);
        (head,,) = senior.queue();
        assertEq(head, 1, "head stays on the partly served request");
        (uint256 pendingShares,) = pool.queueState(Tranche.Senior);
        assertEq(pendingShares, s2 - part + s3);

        // More cash: request 2 completes first, then request 3.
        _repay(loans[1]);
        uint256 a2 = senior.previewRedeem(s2 - part);
        assertEq(_process(senior, 1), 1);
        _assertRequest(senior, 2, carol, 0, s2, cap + a2);
        _assertRequest(senior, 3, bob, s3, 0, 0);
        uint256 a3 = senior.previewRedeem(s3);
        assertEq(_process(senior, 1), 1);
        _assertRequest(senior, 3, bob, 0, s3, a3);
        (head,, pendingShares) = senior.queue();
        assertEq(head, 3);
        assertEq(pendingShares, 0);
        assertEq(senior.totalClaimableAssets(), a1 + cap + a2 + a3);
        assertEq(senior.balanceOf(address(senior)), 0, "every locked share burned");
        assertEq(_process(senior, 10), 0, "empty queue");
        _assertSolvent();
    }

    function test_processQueue_batchEqualsStepByStep() public {
        _lendOutAll();
        _request(senior, bob, senior.balanceOf(bob) / 5);
        _request(senior, carol, senior.balanceOf(carol) / 3);
        _request(senior, bob, senior.balanceOf(bob) / 2);
        vm.warp(block.timestamp + 3 days);
        _repay(loans[0]);
        _repay(loans[1]);

        uint256 snap = vm.snapshotState();
        ITrancheVault.RedemptionRequest[3] memory stepwise;
        for (uint256 i; i < 3; ++i) {
            _process(senior, 1);
            stepwise[i] = _req(senior, i + 1);
        }
        uint256 cashStepwise = pool.cash();
        vm.revertToState(snap);

        assertEq(_process(senior, 10), 3);
        for (uint256 i; i < 3; ++i) {
            ITrancheVault.RedemptionRequest memory r = _req(senior, i + 1);
            assertEq(r.pendingShares, 0);
            assertEq(r.claimableShares, stepwise[i].claimableShares);
            assertEq(r.claimableAssets, stepwise[i].claimableAssets);
        }
        assertEq(pool.cash(), cashStepwise);
    }

    function test_processQueue_boundedByMaxRequests_skipsCancelled() public {
        _lendOutAll();
        uint256 s = 1e12;
        for (uint256 i; i < 6; ++i) {
            _request(senior, bob, s);
        }
        vm.prank(bob);
        senior.cancelRedeemRequest(1);
        vm.prank(bob);
        senior.cancelRedeemRequest(3);
        _repay(loans[0]);

        // Visits 1 (cancelled), 2, 3 (cancelled), 4: serves two.
        vm.expectEmit(address(senior));
        emit ITrancheVault.QueueAdvanced(4, 2);
        assertEq(_process(senior, 4), 2);
        (uint256 head,,) = senior.queue();
        assertEq(head, 4);
        _assertRequest(senior, 5, bob, s, 0, 0);
        assertEq(_process(senior, type(uint256).max), 2, "no overflow on a huge bound");
        (head,,) = senior.queue();
        assertEq(head, 6);
    }

    function test_requestRedeem_servesAtOnceWhatCashAllows() public {
        // No loans: the queue is empty and cash is servable, so a request is served at once up to the cash.
        uint256 shares = senior.balanceOf(bob);
        uint256 assets = senior.previewRedeem(shares);
        uint256 id = _request(senior, bob, shares);
        _assertRequest(senior, id, bob, 0, shares, assets);
        (uint256 head,,) = senior.queue();
        assertEq(head, 1);

        // With cash short, the request is served in part, and later requests wait.
        _lendOutAll();
        _repay(loans[0]);
        uint256 cap = pool.servable(Tranche.Senior);
        uint256 s = senior.balanceOf(carol);
        uint256 part = senior.previewWithdraw(cap);
        id = _request(senior, carol, s);
        _assertRequest(senior, id, carol, s - part, part, cap);
    }

    function test_requestRedeem_autoServesAtMostThree() public {
        _lendOutAll();
        uint256 s = 1e12;
        for (uint256 i; i < 5; ++i) {
            _request(senior, bob, s);
        }
        _repay(loans[0]);
        _request(senior, carol, s); // id 6: serves ids 1..3 only
        (uint256 head,,) = senior.queue();
        assertEq(head, senior.AUTO_SERVE_REQUESTS());
        assertEq(senior.pendingRedeemRequest(4, bob), s);
        assertEq(senior.pendingRedeemRequest(6, carol), s);
    }

    function test_dustRequestNeverBlocksTheLine() public {
        _lendOutAll();
        _request(senior, bob, 1); // worth zero assets
        uint256 s = senior.balanceOf(carol) / 2;
        _request(senior, carol, s);
        _repay(loans[0]);
        uint256 a = senior.previewRedeem(s);
        assertEq(_process(senior, 2), 2);
        _assertRequest(senior, 1, bob, 0, 1, 0);
        _assertRequest(senior, 2, carol, 0, s, a);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.RequestNotClaimable.selector, 1));
        senior.claimRedeem(1, bob);
    }

    // ------------------------------------------------------------------ price at service

    function test_priceAtService_lossHitsTheRequester() public {
        _lendOutAll();
        uint256 s = junior.balanceOf(alice) / 10;
        uint256 valueAtRequest = junior.convertToAssets(s);
        _request(junior, alice, s);

        // Every loan overdue; the floor falls to 60k and the last loan is liquidated: its book value leaves NAV.
        vm.warp(block.timestamp + 30 days + 3 days + 1);
        _pushPrice(address(apes), 60_000 * USDC);
        vm.prank(keeper);
        uint256 auctionId = liquidator.liquidate(loans[loans.length - 1]);
        _repay(loans[0]);
        // Queue fairness: while the auction may still bring value back, the junior line is not served.
        assertLt(junior.totalAssets(), pool.trancheDepositValue(Tranche.Junior), "realised below book");
        assertEq(pool.servable(Tranche.Junior), 0, "paused while recoveries are pending");
        assertEq(_process(junior, 1), 0);

        // The auction ends at half the 60k appraisal, below the debt: a realised loss, then the line moves.
        vm.warp(block.timestamp + 3 days);
        uint256 price = liquidator.currentPrice(auctionId);
        _fund(keeper, price);
        vm.prank(keeper);
        liquidator.buy(auctionId, price);
        // The settlement ended the hold: the line cools down first (SPEC §5.7), then is served.
        assertEq(pool.servable(Tranche.Junior), 0, "cooling down");
        vm.warp(block.timestamp + 1 days);
        uint256 expected = junior.convertToAssets(s);
        assertLt(expected, valueAtRequest, "the loss hit the tranche");
        assertLe(expected, pool.servable(Tranche.Junior), "fully servable");
        assertEq(_process(junior, 1), 1);
        _assertRequest(junior, 1, alice, 0, s, expected);
        _assertSolvent();
    }

    function test_priceAtService_gainGoesToTheRequester() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob) / 10;
        uint256 valueAtRequest = senior.previewRedeem(s);
        _request(senior, bob, s);
        vm.warp(block.timestamp + 20 days);
        _repay(loans[0]);
        uint256 expected = senior.previewRedeem(s);
        assertGt(expected, valueAtRequest, "senior claim compounded");
        assertEq(_process(senior, 1), 1);
        _assertRequest(senior, 1, bob, 0, s, expected);
    }

    // ------------------------------------------------------------------ junior subordination

    function test_juniorService_limitedBySubordination() public {
        _lendOutAll();
        uint256 s = junior.balanceOf(alice);
        _request(junior, alice, s);
        vm.warp(block.timestamp + 10 days);
        for (uint256 i; i < loans.length; ++i) {
            _repay(loans[i]);
        }
        uint256 cap = pool.servable(Tranche.Junior);
        assertLt(cap, pool.cash(), "subordination, not cash, binds");
        assertGt(cap, 0);
        uint256 part = _juniorSharesFor(cap);
        assertEq(_process(junior, 5), 1);
        _assertRequest(junior, 1, alice, s - part, part, cap);
        assertEq(pool.servable(Tranche.Junior), 0);
        assertEq(_process(junior, 5), 0, "nothing more while the ratio binds");
        // The junior still holds exactly its minimum share of NAV (to rounding in its favour).
        (, uint256 minJuniorRatioBps,,,,) = pool.parameters();
        assertGe(junior.totalAssets() * 10_000, pool.nav() * minJuniorRatioBps);
    }

    // ------------------------------------------------------------------ the queue has priority

    function test_borrowCannotConsumeCashOwedToTheQueue() public {
        _lendOutAll();
        _request(senior, bob, senior.balanceOf(bob)); // ~100k owed
        _repay(loans[0]); // ~50k of cash, all owed to the queue
        assertGt(pool.cash(), 0);
        assertEq(pool.availableCash(), 0);
        uint256 tokenId = _mintNft(apes, borrower);
        vm.prank(borrower);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, 10_000 * USDC, 0));
        pool.borrow(address(apes), tokenId, 10_000 * USDC, 30 days, type(uint256).max, _noProof());
    }

    function test_borrowMayUseOnlyCashBeyondTheReserve() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob) / 10; // ~10k owed
        _request(senior, bob, s);
        _repay(loans[0]);
        (uint256 pendingShares, uint256 supply) = pool.queueState(Tranche.Senior);
        uint256 reserve = _mulDivUp(senior.totalAssets(), pendingShares, supply);
        uint256 available = pool.cash() - reserve;
        assertEq(pool.availableCash(), available);
        uint256 tokenId = _mintNft(apes, borrower);
        vm.prank(borrower);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.InsufficientCash.selector, available + 1, available));
        pool.borrow(address(apes), tokenId, available + 1, 30 days, type(uint256).max, _noProof());
        vm.prank(borrower);
        pool.borrow(address(apes), tokenId, available, 30 days, type(uint256).max, _noProof());
        // The queue is still served in full.
        uint256 a = senior.previewRedeem(s);
        assertEq(_process(senior, 1), 1);
        _assertRequest(senior, 1, bob, 0, s, a);
    }

    function test_instantWithdrawalsCannotJumpTheLine() public {
        _lendOutAll();
        _request(senior, bob, senior.balanceOf(bob));
        _repay(loans[0]);
        assertGt(pool.cash(), 0);
        // Carol did not queue: she sees (and gets) nothing while the queue is owed more than the cash.
        assertEq(senior.maxWithdraw(carol), 0);
        assertEq(senior.maxRedeem(carol), 0);
        assertEq(junior.maxWithdraw(alice), 0);
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxWithdraw.selector, 1, 0));
        senior.withdraw(1, carol, carol);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, alice, 1, 0));
        junior.withdraw(1, alice, alice);
        // The locked shares are nobody's to withdraw.
        assertEq(senior.maxRedeem(address(senior)), 0);
        assertEq(senior.maxWithdraw(address(senior)), 0);
    }

    function test_maxViewsExactWithPendingRequests() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob) / 10;
        _request(senior, bob, s);
        _repay(loans[0]);
        uint256 available = pool.availableCash();
        assertGt(available, 0);
        assertEq(senior.maxWithdraw(carol), available);
        uint256 maxShares = senior.maxRedeem(carol);
        assertEq(maxShares, senior.convertToShares(available));

        // One unit past the limit reverts; the limit itself goes through.
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IStrataPool.ExceedsMaxWithdraw.selector, available + 1, available));
        senior.withdraw(available + 1, carol, carol);
        vm.prank(carol);
        senior.withdraw(available, carol, carol);
        assertEq(senior.maxWithdraw(carol), 0);

        // What is left is exactly enough for the queue.
        uint256 a = senior.previewRedeem(s);
        assertEq(_process(senior, 1), 1);
        _assertRequest(senior, 1, bob, 0, s, a);
        _assertSolvent();
    }

    /// @dev Junior 120k (alice 100k, dave 20k), senior 450k: subordination leaves ~7.5k of junior room.
    function _tightJunior() internal {
        _deposit(Tranche.Junior, dave, 20_000 * USDC);
        _deposit(Tranche.Senior, makeAddr("erin"), 300_000 * USDC);
        _lendOutAll();
    }

    function test_juniorLaterRequestCannotTakeTheQueuesRoom() public {
        _tightJunior();
        uint256 s = junior.balanceOf(alice);
        _request(junior, alice, s);
        vm.warp(block.timestamp + 10 days);
        for (uint256 i; i < loans.length; ++i) {
            _repay(loans[i]);
        }
        // No instant junior exit at all (SPEC §5 "Junior notice"): dave can only queue behind alice.
        assertEq(pool.maxWithdraw(Tranche.Junior), 0, "the pool has no instant junior exit either");
        assertEq(junior.maxWithdraw(dave), 0);
        assertEq(junior.maxRedeem(dave), 0);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(ERC4626Upgradeable.ERC4626ExceededMaxWithdraw.selector, dave, 1, 0));
        junior.withdraw(1, dave, dave);
        // dave's request auto-serves the line: the room goes to alice, first in line (her notice has elapsed).
        uint256 cap = pool.servable(Tranche.Junior);
        uint256 part = _juniorSharesFor(cap);
        uint256 daveReq = _request(junior, dave, junior.balanceOf(dave));
        _assertRequest(junior, 1, alice, s - part, part, cap);
        vm.warp(block.timestamp + junior.noticePeriod());
        _process(junior, 2);
        assertEq(junior.claimableRedeemRequest(daveReq, dave), 0, "dave gets nothing while alice waits");
    }

    /// @dev SPEC §5: the junior reserve is what the junior line can be paid now: its value, capped by the room.
    function test_juniorReserve_isWhatTheLineCanBePaid() public {
        _tightJunior();
        uint256 s = junior.balanceOf(alice) / 50; // ~2k, below the room
        _request(junior, alice, s);
        vm.warp(block.timestamp + 10 days);
        for (uint256 i; i < loans.length; ++i) {
            _repay(loans[i]);
        }
        uint256 room = pool.servable(Tranche.Junior);
        (uint256 pendingShares, uint256 supply) = pool.queueState(Tranche.Junior);
        uint256 owed = _mulDivUp(junior.totalAssets(), pendingShares, supply);
        assertLt(owed, room, "the value binds");
        assertEq(pool.availableCash(), pool.cash() - owed, "the line's value is reserved");
        // dave queues everything (his request auto-serves alice's in full, her notice has elapsed): now the room
        // binds, and only the room is reserved.
        uint256 a = junior.convertToAssets(s);
        uint256 daveReq = _request(junior, dave, junior.balanceOf(dave));
        _assertRequest(junior, 1, alice, 0, s, a);
        room = pool.servable(Tranche.Junior);
        (pendingShares, supply) = pool.queueState(Tranche.Junior);
        assertGt(_mulDivUp(junior.totalAssets(), pendingShares, supply), room, "the room binds");
        assertEq(pool.availableCash(), pool.cash() - room, "only the room is reserved");
        assertEq(senior.maxWithdraw(bob), senior.previewRedeem(senior.balanceOf(bob)), "the rest is free for seniors");
        // dave is served up to the room, after his notice.
        vm.warp(block.timestamp + junior.noticePeriod());
        room = pool.servable(Tranche.Junior);
        assertEq(_process(junior, 2), 1);
        assertEq(junior.redeemRequest(daveReq).claimableAssets, room, "up to the room");
        assertEq(pool.servable(Tranche.Junior), 0, "the room is used up");
        _assertSolvent();
    }

    // ------------------------------------------------------------------ claim

    function test_claim_paysReceiverOnce() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob) / 5;
        _request(senior, bob, s);
        _repay(loans[0]);
        _process(senior, 1);
        uint256 assets = senior.redeemRequest(1).claimableAssets;
        uint256 claimableBefore = senior.totalClaimableAssets();

        vm.expectEmit(address(senior));
        emit ITrancheVault.RedeemClaimed(1, bob, dave, assets, s);
        vm.expectEmit(address(senior));
        emit IERC4626.Withdraw(bob, dave, bob, assets, s);
        vm.prank(bob);
        assertEq(senior.claimRedeem(1, dave), assets);
        assertEq(usdc.balanceOf(dave), assets);
        assertEq(senior.totalClaimableAssets(), claimableBefore - assets);
        _assertRequest(senior, 1, bob, 0, 0, 0);

        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.RequestNotClaimable.selector, 1));
        senior.claimRedeem(1, bob);
        vm.prank(bob);
        vm.expectRevert(Governed.ZeroAddress.selector);
        senior.claimRedeem(1, address(0));
        _assertSolvent();
    }

    function test_claim_afterPartialServiceThenRest() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob);
        _request(senior, bob, s);
        _repay(loans[0]);
        _process(senior, 1);
        uint256 first = senior.redeemRequest(1).claimableAssets;
        vm.prank(bob);
        senior.claimRedeem(1, bob);
        _repay(loans[1]);
        _repay(loans[2]);
        uint256 pending = senior.pendingRedeemRequest(1, bob);
        uint256 second = senior.previewRedeem(pending);
        _process(senior, 1);
        vm.prank(bob);
        assertEq(senior.claimRedeem(1, bob), second);
        assertEq(usdc.balanceOf(bob), first + second);
        _assertRequest(senior, 1, bob, 0, 0, 0);
    }

    function test_onlyControllerOrOperatorMayClaimOrCancel() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob) / 5;
        vm.prank(bob);
        senior.requestRedeem(s, carol, bob); // carol controls bob's request
        _repay(loans[0]);
        _process(senior, 1);
        _request(senior, bob, s); // id 2, pending

        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 1, bob, carol));
        senior.claimRedeem(1, bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 1, bob, carol));
        senior.cancelRedeemRequest(1);
        vm.stopPrank();
        vm.startPrank(stranger);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 2, stranger, bob));
        senior.claimRedeem(2, stranger);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 2, stranger, bob));
        senior.cancelRedeemRequest(2);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 99, stranger, address(0)));
        senior.cancelRedeemRequest(99);
        vm.stopPrank();

        // Carol's operator may act for her.
        vm.prank(carol);
        senior.setOperator(dave, true);
        uint256 assets = senior.redeemRequest(1).claimableAssets;
        vm.prank(dave);
        assertEq(senior.claimRedeem(1, dave), assets);
        assertEq(usdc.balanceOf(dave), assets);
        vm.prank(carol);
        senior.setOperator(dave, false);
        vm.prank(dave);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NotRequestController.selector, 1, dave, carol));
        senior.claimRedeem(1, dave);
    }

    // ------------------------------------------------------------------ cancel

    function test_cancel_returnsAllPendingShares() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob) / 3;
        uint256 before = senior.balanceOf(bob);
        _request(senior, bob, s);
        vm.expectEmit(address(senior));
        emit ITrancheVault.RedeemRequestCancelled(1, bob, s);
        vm.prank(bob);
        assertEq(senior.cancelRedeemRequest(1), s);
        assertEq(senior.balanceOf(bob), before);
        assertEq(senior.balanceOf(address(senior)), 0);
        _assertRequest(senior, 1, bob, 0, 0, 0);
        (uint256 pendingShares,) = pool.queueState(Tranche.Senior);
        assertEq(pendingShares, 0);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ITrancheVault.NothingToCancel.selector, 1));
        senior.cancelRedeemRequest(1);
        // The cancelled request is skipped; the line moves on.
        _request(senior, carol, s / 2);
        _repay(loans[0]);
        assertEq(_process(senior, 5), 1);
        (uint256 head,,) = senior.queue();
        assertEq(head, 2);
    }

    function test_cancel_afterPartialService() public {
        _lendOutAll();
        uint256 s = senior.balanceOf(bob);
        _request(senior, bob, s);
        _repay(loans[0]);
        _process(senior, 1);
        ITrancheVault.RedemptionRequest memory r = senior.redeemRequest(1);
        assertGt(r.pendingShares, 0);
        assertGt(r.claimableShares, 0);

        vm.prank(bob);
        assertEq(senior.cancelRedeemRequest(1), r.pendingShares);
        assertEq(senior.balanceOf(bob), r.pendingShares, "unserved part back");
        _assertRequest(senior, 1, bob, 0, r.claimableShares, r.claimableAssets);
        (uint256 pendingShares,) = pool.queueState(Tranche.Senior);
        assertEq(pendingShares, 0);
        assertEq(pool.availableCash(), pool.cash(), "nothing reserved any more");
        vm.prank(bob);
        assertEq(senior.claimRedeem(1, bob), r.claimableAssets, "served part still claimable");
    }

    // ------------------------------------------------------------------ pause (SPEC §8)

    function test_pause_neverBlocksTheQueue() public {
        _lendOutAll();
        vm.startPrank(guardian);
        pool.setDepositsPaused(true);
        pool.setBorrowsPaused(true);
        vm.stopPrank();
        assertEq(senior.maxDeposit(bob), 0);

        uint256 s = senior.balanceOf(bob) / 5;
        _request(senior, bob, s);
        _request(senior, carol, s);
        _request(junior, alice, junior.balanceOf(alice) / 20);
        vm.warp(block.timestamp + junior.noticePeriod());
        _repay(loans[0]);
        assertEq(_process(senior, 1), 1);
        assertEq(_process(junior, 1), 1);
        vm.prank(bob);
        assertGt(senior.claimRedeem(1, bob), 0);
        uint256 claimable = junior.maxRedeem(alice);
        vm.prank(alice);
        assertGt(junior.redeem(claimable, alice, alice), 0);
        vm.prank(carol);
        assertEq(senior.cancelRedeemRequest(2), s);
    }

    // ------------------------------------------------------------------ fuzz

    /// @dev Random requests, repayments and batch sizes: the line is FIFO (no request holds served shares while an
    ///      earlier one still waits), every locked share is pending or burned, and the pool's claimable ledger equals
    ///      the requests' claimable assets.
    function testFuzz_fifoAndConservation(uint256 seed, uint8 nRequests, uint8 nRepays, uint8 batch) public {
        nRequests = uint8(bound(nRequests, 2, 8));
        nRepays = uint8(bound(nRepays, 1, 5));
        batch = uint8(bound(batch, 1, 10));
        _lendOutAll();
        uint256 locked;
        for (uint256 i; i < nRequests; ++i) {
            address who = i % 2 == 0 ? bob : carol;
            uint256 bal = senior.balanceOf(who);
            uint256 shares = bound(uint256(keccak256(abi.encode(seed, i))), 1, bal / 3);
            _request(senior, who, shares);
            locked += shares;
        }
        for (uint256 k; k < nRepays; ++k) {
            vm.warp(block.timestamp + 1 days);
            _repay(loans[k]);
            _process(senior, batch);
        }
        (uint256 pendingShares,) = pool.queueState(Tranche.Senior);
        uint256 pendingSum;
        uint256 servedSum;
        uint256 claimableAssets;
        bool waiting;
        for (uint256 id = 1; id <= nRequests; ++id) {
            ITrancheVault.RedemptionRequest memory r = senior.redeemRequest(id);
            if (r.claimableShares > 0) assertFalse(waiting, "served behind a waiting request");
            if (r.pendingShares > 0) waiting = true;
            pendingSum += r.pendingShares;
            servedSum += r.claimableShares;
            claimableAssets += r.claimableAssets;
        }
        assertEq(pendingSum, pendingShares, "pool pending == requests pending");
        assertEq(senior.balanceOf(address(senior)), pendingSum, "locked shares == pending");
        assertEq(pendingSum + servedSum, locked, "every requested share pending or served");
        assertEq(senior.totalClaimableAssets(), claimableAssets);
        _assertSolvent();
    }

    // ------------------------------------------------------------------ gas

    function test_gas_processQueueIndependentOfQueueLength() public {
        _lendOutAll();
        uint256 snap = vm.snapshotState();
        uint256 gasShort = _queueAndMeasure(10);
        vm.revertToState(snap);
        uint256 gasLong = _queueAndMeasure(1000);
        emit log_named_uint("processQueue(10), 10 queued", gasShort);
        emit log_named_uint("processQueue(10), 1000 queued", gasLong);
        assertApproxEqRel(gasLong, gasShort, 0.01e18);
    }

    function _queueAndMeasure(uint256 n) internal returns (uint256 used) {
        uint256 s = 1e13; // 10 USDC each
        for (uint256 i; i < n; ++i) {
            _request(senior, i % 2 == 0 ? bob : carol, s);
        }
        _repay(loans[0]);
        vm.prank(keeper);
        uint256 g = gasleft();
        uint256 served = senior.processQueue(10);
        used = g - gasleft();
        assertEq(served, 10);
        (uint256 head,,) = senior.queue();
        assertEq(head, 10);
    }

    // `request_redeem` and `claim` (snapshots/vault.json) are measured in test/gas/QueueGas.t.sol.

    function _mulDivUp(uint256 x, uint256 y, uint256 z) internal pure returns (uint256) {
        return (x * y + z - 1) / z;
    }
}
