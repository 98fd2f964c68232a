// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {AuctionStatus, ILiquidator} from "../../src/interfaces/ILiquidator.sol";
import {IStrataPool, LoanStatus} from "../../src/interfaces/IStrataPool.sol";
import {MaliciousERC721} from "../mocks/MaliciousERC721.sol";
import {ReentrantBuyer} from "../mocks/ReentrantBuyer.sol";
import {LiquidationBase} from "./LiquidationBase.sol";

/// @notice A hostile collection (listed by governance) calls back into an attacker on every NFT transfer, the one
///         callback the protocol's plain `transferFrom` can give. Each re-entry into the liquidator or the pool while
///         either holds its lock reverts with `ReentrancyGuardReentrantCall`; the outer operation completes and no
///         asset or NFT is lost.
contract ReentrancyTest is LiquidationBase {
    MaliciousERC721 internal evil;
    ReentrantBuyer internal attacker;
    uint256 internal victimLoan; // carol's apes loan, unhealthy after the crash
    uint256 internal evilLoan1;
    uint256 internal evilLoan2;

    function setUp() public override {
        super.setUp();
        evil = new MaliciousERC721();
        attacker = new ReentrantBuyer();
        evil.setHook(address(attacker));
        vm.startPrank(gov);
        oracle.configureCollection(address(evil), 0, 5000, 1 days);
        registry.configureCollection(address(evil), _paramsA());
        vm.stopPrank();
        _pushPrice(address(evil), 100_000 * USDC);

        usdc.mint(address(attacker), 1_000_000 * USDC);
        _exec(address(usdc), abi.encodeCall(usdc.approve, (address(pool), type(uint256).max)));
        _exec(address(usdc), abi.encodeCall(usdc.approve, (address(liquidator), type(uint256).max)));
        _exec(address(evil), abi.encodeCall(evil.setApprovalForAll, (address(pool), true)));
        for (uint256 id = 1; id <= 4; ++id) {
            evil.mint(address(attacker), id);
        }
        (victimLoan,) = _standardLoan();
        evilLoan1 = _evilBorrow(1);
        evilLoan2 = _evilBorrow(2);
    }

    function _exec(address to, bytes memory data) internal returns (bytes memory) {
        return attacker.exec(to, data);
    }

    function _evilBorrow(uint256 id) internal returns (uint256) {
        bytes memory ret = _exec(
            address(pool),
            abi.encodeCall(
                IStrataPool.borrow, (address(evil), id, 40_000 * USDC, 30 days, type(uint256).max, _noProof())
            )
        );
        return abi.decode(ret, (uint256));
    }

    function _crashAll() internal {
        _crashTo(address(apes), 60_000 * USDC); // carol: 50k > 42k
        _crashTo(address(evil), 50_000 * USDC); // attacker: 40k > 35k
    }

    function _assertBlocked() internal view {
        assertTrue(attacker.reentered(), "the hook ran");
        assertFalse(attacker.reentrySucceeded(), "re-entry failed");
        assertEq(
            attacker.reentryRevert(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "ReentrancyGuardReentrantCall"
        );
        _assertSolvent();
    }

    function _assertNavIsBook() internal view {
        // NAV = cash + principal of active loans + their accrued interest (all loans start at the same second).
        assertEq(pool.nav(), pool.cash() + pool.totalPrincipal(), "no time elapsed: NAV = cash + principal");
    }

    // ------------------------------------------------------------------ inside pool.borrow (pool locked)

    function test_borrow_reentersBorrow() public {
        attacker.arm(
            address(pool),
            abi.encodeCall(
                IStrataPool.borrow, (address(evil), 4, 40_000 * USDC, 30 days, type(uint256).max, _noProof())
            )
        );
        uint256 id = _evilBorrow(3);
        _assertBlocked();
        assertEq(evil.ownerOf(3), address(pool));
        assertEq(evil.ownerOf(4), address(attacker), "second NFT untouched");
        assertEq(pool.nextLoanId(), id + 1, "one loan only");
        assertEq(pool.exposure(address(evil)), 120_000 * USDC);
        _assertNavIsBook();
    }

    function test_borrow_reentersRepay() public {
        attacker.arm(address(pool), abi.encodeCall(pool.repay, (evilLoan1, 1_000_000 * USDC)));
        _evilBorrow(3);
        _assertBlocked();
        _assertLoanStatus(evilLoan1, LoanStatus.Active);
        assertEq(evil.ownerOf(1), address(pool));
    }

    function test_borrow_reentersLiquidate() public {
        _crashAll();
        _pushPrice(address(evil), 100_000 * USDC * 6 / 10 + 10_000 * USDC); // 70k: new borrow of 30k allowed
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.liquidate, (victimLoan)));
        _exec(
            address(pool),
            abi.encodeCall(
                IStrataPool.borrow, (address(evil), 3, 30_000 * USDC, 30 days, type(uint256).max, _noProof())
            )
        );
        _assertBlocked(); // the liquidator is free, but pool.impair is not
        _assertLoanStatus(victimLoan, LoanStatus.Active);
        assertEq(uint256(liquidator.auction(victimLoan).status), uint256(AuctionStatus.None));
    }

    // ------------------------------------------------------------------ inside pool.repay (pool locked)

    function test_repay_reentersBuyAndRedeem() public {
        _crashAll();
        _liquidate(victimLoan);
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.buy, (victimLoan, type(uint256).max)));
        _exec(address(pool), abi.encodeCall(pool.repay, (evilLoan1, type(uint256).max)));
        _assertBlocked(); // the liquidator is free, but pool.completeLiquidation is not
        assertEq(evil.ownerOf(1), address(attacker), "repaid NFT back to its borrower");
        _assertLoanStatus(evilLoan1, LoanStatus.Repaid);
        assertEq(uint256(liquidator.auction(victimLoan).status), uint256(AuctionStatus.Running), "not sold");
        assertEq(apes.ownerOf(1), address(pool));

        attacker.arm(address(liquidator), abi.encodeCall(liquidator.redeem, (victimLoan)));
        _exec(address(pool), abi.encodeCall(pool.repay, (evilLoan2, type(uint256).max)));
        _assertBlocked();
        assertEq(uint256(liquidator.auction(victimLoan).status), uint256(AuctionStatus.Running), "not redeemed");
        assertEq(pool.cash(), 1_000_000 * USDC - PRINCIPAL, "exactly the two repayments came back");
    }

    // ------------------------------------------------------------------ inside liquidate (both locked)

    /// @dev Since issue #30 a liquidation moves no token (the pool keeps it through the auction), so a hostile
    ///      collection gets no callback to re-enter from.
    function test_liquidate_movesNoToken_noCallback() public {
        _crashAll();
        _liquidate(victimLoan);
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.buy, (victimLoan, type(uint256).max)));
        _liquidate(evilLoan1);
        assertFalse(attacker.reentered(), "no transfer, no hook");
        assertEq(evil.ownerOf(1), address(pool));
        _assertLoanStatus(evilLoan1, LoanStatus.Liquidating);
        assertEq(uint256(liquidator.auction(victimLoan).status), uint256(AuctionStatus.Running));
        _assertSolvent();
    }

    // ------------------------------------------------------------------ inside buy / redeem (liquidator locked)

    function _twoEvilAuctions() internal {
        _crashAll();
        _liquidate(evilLoan1);
        _liquidate(evilLoan2);
        _liquidate(victimLoan);
    }

    function test_buy_reentersBuyRedeemLiquidate() public {
        _twoEvilAuctions();
        bytes[3] memory reentries = [
            abi.encodeCall(liquidator.buy, (evilLoan2, type(uint256).max)),
            abi.encodeCall(liquidator.redeem, (victimLoan)),
            abi.encodeCall(liquidator.liquidate, (victimLoan))
        ];
        for (uint256 i; i < reentries.length; ++i) {
            uint256 snap = vm.snapshotState();
            attacker.arm(address(liquidator), reentries[i]);
            uint256 balanceBefore = usdc.balanceOf(address(attacker));
            bytes memory ret =
                _exec(address(liquidator), abi.encodeCall(liquidator.buy, (evilLoan1, type(uint256).max)));
            uint256 price = abi.decode(ret, (uint256));
            _assertBlocked();
            assertEq(price, 75_000 * USDC, "start price 50k * 1.5");
            assertEq(usdc.balanceOf(address(attacker)), balanceBefore - price, "paid once");
            assertEq(evil.ownerOf(1), address(attacker));
            assertEq(evil.ownerOf(2), address(pool), "other auction untouched");
            assertEq(apes.ownerOf(1), address(pool), "victim NFT untouched");
            assertEq(uint256(liquidator.auction(evilLoan2).status), uint256(AuctionStatus.Running));
            assertEq(uint256(liquidator.auction(victimLoan).status), uint256(AuctionStatus.Running));
            vm.revertToState(snap);
        }
    }

    function test_redeem_reentersRedeem() public {
        _twoEvilAuctions();
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.redeem, (evilLoan2)));
        _exec(address(liquidator), abi.encodeCall(liquidator.redeem, (evilLoan1)));
        _assertBlocked();
        assertEq(evil.ownerOf(1), address(attacker), "redeemed to the borrower");
        assertEq(evil.ownerOf(2), address(pool));
        assertEq(uint256(liquidator.auction(evilLoan1).status), uint256(AuctionStatus.Redeemed));
        assertEq(uint256(liquidator.auction(evilLoan2).status), uint256(AuctionStatus.Running));
    }

    function test_redeem_reentersLiquidate() public {
        _crashAll();
        _liquidate(evilLoan1);
        attacker.arm(address(liquidator), abi.encodeCall(liquidator.liquidate, (evilLoan2)));
        _exec(address(liquidator), abi.encodeCall(liquidator.redeem, (evilLoan1)));
        _assertBlocked();
        _assertLoanStatus(evilLoan2, LoanStatus.Active);
    }

    /// @dev Since issue #30 the pool delivers the NFT inside `completeLiquidation`, under its own lock and the
    ///      liquidator's, after the books have settled: a pool call from the delivery's callback reverts (before, the
    ///      liquidator delivered after the pool had returned, and such a call ran). The sale completes.
    function test_buy_reentryIntoPoolDuringDelivery_isBlocked() public {
        _crashAll();
        _liquidate(evilLoan1);
        attacker.arm(address(pool), abi.encodeCall(pool.repay, (evilLoan2, type(uint256).max)));
        bytes memory ret = _exec(address(liquidator), abi.encodeCall(liquidator.buy, (evilLoan1, type(uint256).max)));
        uint256 price = abi.decode(ret, (uint256));
        _assertBlocked();
        assertEq(price, 75_000 * USDC);
        _assertLoanStatus(evilLoan1, LoanStatus.Liquidated);
        _assertLoanStatus(evilLoan2, LoanStatus.Active);
        assertEq(evil.ownerOf(1), address(attacker), "delivered to the buyer");
        assertEq(evil.ownerOf(2), address(pool), "the other loan untouched");
        // Cash: 1M - 50k (carol) - 40k - 40k + owed(loan 1, capped by price).
        uint256 owed1 = 40_000 * USDC + _bpsUp(40_000 * USDC, PENALTY_A_BPS);
        assertEq(pool.cash(), 1_000_000 * USDC - PRINCIPAL - 80_000 * USDC + owed1);
        assertEq(liquidator.claimable(address(attacker)), price - owed1, "surplus to the borrower (the attacker)");
    }

    /// @dev `markUnsold` takes the pool's lock with `_lock()` (the modifier's release would be unreachable code under
    ///      the IR pipeline): the recovery's delivery calls back into the attacker, whose re-entry is refused.
    function test_recoverUnsold_reentryIntoPoolDuringDelivery_isBlocked() public {
        _crashAll();
        _liquidate(evilLoan1);
        vm.warp(block.timestamp + RECOVERY_TIMEOUT);
        attacker.arm(address(pool), abi.encodeCall(pool.repay, (evilLoan2, type(uint256).max)));
        address recovery = makeAddr("recovery");
        vm.prank(gov);
        liquidator.recoverUnsold(evilLoan1, recovery, 0);
        _assertBlocked();
        assertEq(evil.ownerOf(1), recovery, "delivered to the recovery address");
        _assertLoanStatus(evilLoan2, LoanStatus.Active);
        assertEq(evil.ownerOf(2), address(pool), "the other loan untouched");
    }

    function test_errorSelectorsAreDistinct() public pure {
        // Guard against a vacuous test: the expected revert is not one of the liquidator's own errors.
        assertTrue(
            ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector != ILiquidator.AuctionNotRunning.selector
        );
        assertTrue(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector != IStrataPool.LoanNotActive.selector);
    }
}
